"""The payments desk: award disbursements and purchase payments
together, what waits for the fund manager (to approve) and for finance (to pay)
with the total in 元 and 万元, the masked payee account, 凭证号 and 付款日期 on
paying, rejection with its reason, batch payment after one confirmation, and 404
for a payment that does not wait for the user's step."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from funding.models import Disbursement, PurchasePayment
from funding.models.awards import DisbursementStatus
from funding.services.disbursements import disbursement_approve, disbursement_record
from funding.services.purchases import (
    purchase_payment_approve,
    purchase_payment_pay,
    purchase_payment_record,
)
from tests.support.confirm import confirmation_token

D = datetime.date
APPROVED_ON = D(2023, 7, 1)
PAID_ON = D(2023, 7, 5)
ACCOUNT = "6222021234561234"
MASKED = "6222 **** **** 1234"
GROUPED = "6222 0212 3456 1234"
DESK = "/admin/funding/payments/"


@pytest.fixture
def world(make_award, make_purchase, make_organization, make_user):
    """Finance waits on three payments: 60,000 + 30,000 (award disbursements) +
    300,000 (a purchase's first instalment) = 390,000 元 = 39.00 万元; the fund
    manager on one disbursement of 24,000 元 = 2.40 万元 recorded by the clerk."""
    clerk = make_user("clerk", roles.FUND_MANAGER)
    chief = make_user("chief", roles.FUND_MANAGER)
    a1 = make_award(Decimal("100000"))
    org = a1.application.organization
    org.bank_name = "中国工商银行益阳分行"
    org.bank_account = ACCOUNT
    org.save()
    a2 = make_award(Decimal("50000"))
    a3 = make_award(Decimal("40000"))
    supplier = make_organization(
        bank_name="中国建设银行苏州分行", bank_account="6217001234567890123"
    )
    purchase = make_purchase(supplier=supplier)
    w = type("World", (), {})()
    w.clerk, w.chief = clerk, chief
    w.d1 = disbursement_record(a1.tranches.first(), amount="60000", user=clerk)
    w.d2 = disbursement_record(a2.tranches.first(), amount="30000", user=clerk)
    w.p1 = purchase_payment_record(
        purchase,
        instalment=purchase.instalments.first(),
        amount="300000",
        user=clerk,
    )
    for payment in (w.d1, w.d2):
        disbursement_approve(payment, user=chief, on=APPROVED_ON)
    purchase_payment_approve(w.p1, user=chief, on=APPROVED_ON)
    w.d3 = disbursement_record(a3.tranches.first(), amount="24000", user=clerk)
    w.org = org
    return w


def _html(response):
    return response.content.decode()


def _text(response, testid):
    match = re.search(
        rf'data-testid="{testid}"[^>]*>(.*?)</(?:p|span|td)>', _html(response), re.S
    )
    assert match, testid
    return re.sub(r"<[^>]+>|\s+", "", match.group(1))


def _pay_form(world, vouchers, paid_on=PAID_ON):
    keys = [f"award-{world.d1.pk}", f"award-{world.d2.pk}", f"purchase-{world.p1.pk}"]
    data = {"keys": ",".join(keys), "stage": "form", "paid_on": paid_on.isoformat()}
    for key, voucher in zip(keys, vouchers, strict=True):
        data[f"voucher_{key}"] = voucher
    return data


def _statuses(world):
    return [
        Disbursement.objects.get(pk=world.d1.pk).status,
        Disbursement.objects.get(pk=world.d2.pk).status,
        PurchasePayment.objects.get(pk=world.p1.pk).status,
    ]


def test_finance_and_the_fund_manager_each_see_what_waits_and_its_total(
    world, client_for
):
    finance = client_for(roles.FINANCE, "cashier")
    page = finance.get(DESK)
    assert page.status_code == 200
    assert _text(page, "desk-total") == "3笔款项待您处理：390,000.00元（39.00万元）"
    assert _text(page, "desk-pay-total") == "390,000.00元（39.00万元）"
    assert 'data-testid="desk-approve"' not in _html(page)  # finance never approves

    manager = client_for(roles.FUND_MANAGER, "manager_wang")
    page = manager.get(DESK)
    assert _text(page, "desk-total") == "1笔款项待您处理：24,000.00元（2.40万元）"
    assert _text(page, "desk-approve-total") == "24,000.00元（2.40万元）"
    assert 'data-testid="desk-pay"' not in _html(page)

    # the clerk recorded the 24,000: not hers to approve (separation of duties)
    clerk = client_for(roles.FUND_MANAGER, "clerk_view")
    clerk.force_login(world.clerk)
    assert "没有待您处理的款项" in _html(clerk.get(DESK))


def test_the_account_is_masked_except_to_finance_on_the_pay_form(world, client_for):
    manager = client_for(roles.FUND_MANAGER, "manager_wang")
    finance = client_for(roles.FINANCE, "cashier")
    chief = client_for(roles.FUND_MANAGER, "chief_view")
    chief.force_login(world.chief)
    # the approver reads the desk too (returned payments): masked
    for client in (manager, finance, chief):
        html = _html(client.get(DESK))
        assert ACCOUNT not in html
        assert GROUPED not in html
    assert MASKED in _html(finance.get(DESK))

    form = finance.get(f"{DESK}pay/?payments=award-{world.d1.pk}")
    assert form.status_code == 200
    assert GROUPED in _html(form)  # finance, paying: the whole account
    assert "中国工商银行益阳分行" in _html(form)


@pytest.mark.parametrize(
    "vouchers, paid_on, message",
    [
        (["", "V2", "V3"], PAID_ON, "请填写付款凭证号"),
        (["V1", "V2", "V3"], D(2999, 1, 1), "付款日期2999-01-01是将来的日期"),
        (["V1", "V2", "V3"], D(2023, 6, 30), "早于审批日期（2023-07-01）"),
        (["V1", "V1", "V3"], PAID_ON, "凭证号V1在本批中重复"),
        (["2023-0099", "V2", "V3"], PAID_ON, "凭证号2023-0099在2023年已使用"),
    ],
)
def test_paying_with_a_bad_voucher_or_date_says_why_and_stores_nothing(
    world, client_for, make_purchase, make_user, vouchers, paid_on, message
):
    # a payment paid earlier in 2023 with voucher 2023-0099
    other = make_purchase(title="已付款项目")
    earlier = purchase_payment_record(
        other, instalment=other.instalments.first(), amount="1000", user=world.clerk
    )
    purchase_payment_approve(earlier, user=world.chief, on=D(2023, 5, 1))
    purchase_payment_pay(
        earlier,
        user=make_user("cashier0", roles.FINANCE),
        voucher_number="2023-0099",
        paid_on=D(2023, 5, 2),
    )
    finance = client_for(roles.FINANCE, "cashier")
    page = finance.post(f"{DESK}pay/", _pay_form(world, vouchers, paid_on))
    assert page.status_code == 200
    assert message in _html(page)
    assert confirmation_token(page) is None  # no confirmation: the form again
    assert _statuses(world) == [DisbursementStatus.APPROVED] * 3
    assert not Disbursement.objects.exclude(voucher_number="").exists()


def test_batch_payment_of_three_records_three_vouchers_after_one_confirmation(
    world, client_for
):
    finance = client_for(roles.FINANCE, "cashier")
    data = _pay_form(world, ["2023-0101", "2023-0102", "2023-0103"])
    summary = finance.post(f"{DESK}pay/", data)
    html = _html(summary)
    token = confirmation_token(summary)
    assert token
    assert "390,000.00 元（39.00 万元）" in html  # the total of the batch
    for payee in ("2023-0101", "2023-0102", "2023-0103", "300,000.00", MASKED):
        assert payee in html  # who gets what, with which voucher
    assert _statuses(world) == [DisbursementStatus.APPROVED] * 3  # nothing yet

    done = finance.post(f"{DESK}pay/", {**data, "confirm_token": token}, follow=True)
    assert "3 笔已付款，合计 390,000.00 元（39.00 万元）" in _html(done)
    paid = [
        Disbursement.objects.get(pk=world.d1.pk),
        Disbursement.objects.get(pk=world.d2.pk),
        PurchasePayment.objects.get(pk=world.p1.pk),
    ]
    assert [(p.status, p.voucher_number, p.paid_on, p.paid_by) for p in paid] == [
        (DisbursementStatus.PAID, "2023-0101", PAID_ON, finance.user),
        (DisbursementStatus.PAID, "2023-0102", PAID_ON, finance.user),
        (DisbursementStatus.PAID, "2023-0103", PAID_ON, finance.user),
    ]
    # replayed: nothing waits any more, the keys answer 404
    again = finance.post(f"{DESK}pay/", {**data, "confirm_token": token})
    assert again.status_code == 404


def test_finance_returns_a_payment_with_its_reason_shown_to_the_fund_manager(
    world, client_for
):
    finance = client_for(roles.FINANCE, "cashier")
    url = reverse("funding_disbursement_action", args=[world.d1.pk, "reject"])
    page = finance.post(url, {"reason": ""})
    token = confirmation_token(page)
    finance.post(url, {"reason": "", "confirm_token": token})
    assert Disbursement.objects.get(pk=world.d1.pk).status == "approved"

    finance.post(url, {"reason": "收款账户名与单位名称不一致", "confirm_token": token})
    d1 = Disbursement.objects.get(pk=world.d1.pk)
    assert (d1.status, d1.rejection_reason, d1.rejected_by) == (
        DisbursementStatus.REJECTED,
        "收款账户名与单位名称不一致",
        finance.user,
    )
    manager = client_for(roles.FUND_MANAGER, "manager_wang")
    page = manager.get(DESK)
    assert _text(page, "rejection-reason") == "收款账户名与单位名称不一致"


def test_a_payment_not_waiting_for_the_users_step_answers_404(world, client_for):
    finance = client_for(roles.FINANCE, "cashier")
    manager = client_for(roles.FUND_MANAGER, "manager_wang")
    pay = f"{DESK}pay/?payments="
    # recorded, not yet approved: not finance's to pay
    assert finance.get(f"{pay}award-{world.d3.pk}").status_code == 404
    assert finance.get(f"{pay}award-999999").status_code == 404
    assert finance.get(f"{pay}nonsense").status_code == 404
    assert finance.get(f"{DESK}approve/?payments=award-{world.d3.pk}").status_code == (
        404
    )
    # a fund manager never pays
    assert manager.get(f"{pay}award-{world.d1.pk}").status_code == 404
    # the approver, even given finance's role, does not pay what she approved
    world.chief.groups.add(roles.role_group(roles.FINANCE))
    chief = client_for(roles.REVIEWER, "chief_view")
    chief.force_login(world.chief)
    assert chief.get(f"{pay}award-{world.d1.pk}").status_code == 404
    # a role without payments has no desk
    assert client_for(roles.REVIEWER, "expert").get(DESK).status_code in (302, 403)


def test_the_award_list_offers_finance_only_what_it_can_do(world, client_for):
    awards = reverse("wagtailsnippets_funding_award:list")
    finance = _html(client_for(roles.FINANCE, "cashier").get(awards))
    manager = _html(client_for(roles.FUND_MANAGER, "manager_wang").get(awards))
    desk_link = reverse("funding_award_desk", args=[world.d1.tranche.award_id])
    assert desk_link in manager
    assert desk_link not in finance
    assert "打开立项" not in finance


@pytest.mark.parametrize(
    "bank_name, account, field, message",
    [
        ("中国农业银行", "6228-48ab", "bank_account", "账号为8至30位数字"),
        ("中国农业银行", "1234567", "bank_account", "账号为8至30位数字"),
        ("", "6228480012345678", "bank_name", "请填写开户行"),
        ("中国农业银行", "", "bank_account", "请填写该开户行的账号"),
    ],
)
def test_bank_details_are_checked(
    make_organization, bank_name, account, field, message
):
    org = make_organization()
    org.bank_name, org.bank_account = bank_name, account
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert message in " ".join(exc.value.message_dict[field])


def test_bank_account_spaces_are_dropped(make_organization):
    org = make_organization(
        bank_name="中国农业银行", bank_account="6228 4800 1234 5678"
    )
    assert org.bank_account == "6228480012345678"


@pytest.mark.parametrize("role", [roles.FINANCE, roles.FUND_MANAGER])
def test_every_funding_link_offered_on_the_money_screens_opens(world, client_for, role):
    """The kind of fault behind "打开立项 → 没有权限": a screen offers a link its
    reader cannot follow. Each link into the funding admin on the award and
    disbursement lists and on the desk opens for the role that is shown it."""
    from tests.support.permission_matrix import DENIED, FORBIDDEN, outcome

    client = client_for(role, f"reader_{role}")
    screens = [
        reverse("wagtailsnippets_funding_award:list"),
        reverse("wagtailsnippets_funding_disbursement:list"),
        reverse("wagtailsnippets_funding_purchasepayment:list"),
        DESK,
    ]
    links = set()
    for screen in screens:
        html = _html(client.get(screen))
        links |= set(
            re.findall(r'href="(/admin/(?:funding|snippets/funding)/[^"#]*)"', html)
        )
    assert links
    for link in sorted(links):
        link = link.replace("&amp;", "&")
        response = client.get(link)
        assert outcome(response) not in (DENIED, FORBIDDEN), (role, link)
