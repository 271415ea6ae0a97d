"""Pay as finance does on the payments desk: the pay button (the payment's pay
step) opens the desk's pay form; the form takes the 付款日期 and one 凭证号 per
payment; the confirmation lists who gets what; "Yes" pays."""

from urllib.parse import parse_qs, urlparse

from django.utils import timezone

from tests.support.confirm import post_confirmed


def pay_form_data(keys, vouchers, paid_on=None):
    """The pay form's POST for the desk keys ("award-3") and their vouchers."""
    data = {
        "keys": ",".join(keys),
        "stage": "form",
        "paid_on": (paid_on or timezone.localdate()).isoformat(),
    }
    for key, voucher in zip(keys, vouchers, strict=True):
        data[f"voucher_{key}"] = voucher
    return data


def pay_through_desk(client, pay_url, voucher, paid_on=None):
    """Open a payment's pay step `pay_url` (it redirects to the desk's pay form),
    fill in `voucher` and `paid_on` (default today) and confirm. Returns the last
    response."""
    opened = client.get(pay_url)
    assert opened.status_code == 302, opened.status_code
    target = urlparse(opened["Location"])
    keys = parse_qs(target.query)["payments"]
    return post_confirmed(
        client, target.path, pay_form_data(keys, [voucher] * len(keys), paid_on)
    )
