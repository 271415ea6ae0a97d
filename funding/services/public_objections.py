"""Objections sent by any visitor from the public notice page (公示): the form's
one-time token, the sender's keyed address hash and the submit service.

The rules (DESIGN.md, 公示 and objections; the notice page says the objector gives a
real name and reasons):
- only while the notice runs: from `starts_on` to `ends_on` (Asia/Shanghai dates),
  never after it is closed;
- at most `DAILY_LIMIT` objections per sender address per day, each in its
  numbered slot of the day (`core.limits`: two forms sent at once cannot both
  take the last place); the address itself is never stored, only
  `client_hash(address)` (an HMAC with the site's secret key);
- one objection per form: the form carries a signed one-time token; a replayed POST
  (back button, double click, a resent request) finds its token stored and creates
  nothing;
- the objection goes to the fund managers like one recorded at the award desk
  (`objection_received_notify`); the objector's contact is for them only.
"""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import limits
from core.fields import text_refusals
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Award, Objection, PublicNotice
from funding.services.notifications import objection_received_notify

#: Objections one sender address may send per day (any notice).
DAILY_LIMIT = 3
#: Longest objection text accepted from the public form (characters).
CONTENT_MAX = 2000
#: Shortest objection text: "reasons" need a sentence.
CONTENT_MIN = 10
#: How long a form may stay open before its token expires (seconds: one day).
TOKEN_MAX_AGE = 24 * 60 * 60

_SALT = "funding.public_objection"


class ObjectionAlreadyReceived(FundingError):
    """The form's token was used before: the objection is already stored."""


def client_hash(address):
    """A keyed SHA-256 hex digest (64 characters) of the sender's address
    (`REMOTE_ADDR`, set from X-Forwarded-For behind the proxy by `core.proxy`); the
    address itself is never stored."""
    return salted_hmac(_SALT, address or "", algorithm="sha256").hexdigest()


def objection_form_token(notice):
    """A new signed one-time token for one objection form of `notice` (a string)."""
    return signing.dumps(
        {"n": notice.pk, "t": secrets.token_urlsafe(24)}, salt=_SALT, compress=True
    )


def _token_nonce(token, notice):
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("n") != notice.pk or not data.get("t"):
        raise FundingError(
            _(
                "This form has expired or is not valid: open the notice again and "
                "send the objection from the new form."
            )
        )
    return str(data["t"])[:64]


def notice_objection_refusal(notice, *, today=None):
    """Why the public may not object to `notice` on `today` (the local date), as a
    message, or None while its 公示 period runs (`starts_on` ≤ today ≤ `ends_on`,
    not closed)."""
    today = today or timezone.localdate()
    if today < notice.starts_on:
        return _("The notice period has not started yet: it runs from %(start)s.") % {
            "start": notice.starts_on.strftime("%Y-%m-%d")
        }
    if notice.closed_on or today > notice.ends_on:
        return _(
            "The notice period ended on %(end)s: objections are no longer accepted "
            "online."
        ) % {"end": notice.ends_on.strftime("%Y-%m-%d")}
    return None


def notice_objection_awards(notice):
    """The awards of `notice` still on public notice, which an objection may
    concern (a queryset, by organization name)."""
    return (
        Award.objects.filter(notice=notice, application__status=S.IN_PUBLIC_NOTICE)
        .select_related("application__organization")
        .order_by("application__organization__name", "pk")
    )


@transaction.atomic
def objection_submit_public(
    notice, *, award, objector, contact, content, address, token, today=None
):
    """Store an objection a visitor sent from the public notice page and tell the
    fund managers. `award` must be one of `notice_objection_awards(notice)`;
    `address` is the sender's address (only its hash is stored); `token` the
    form's one-time token. Returns the new Objection.

    Raises `ObjectionAlreadyReceived` for a replayed form (nothing new stored),
    FundingError when the notice does not run today, the form expired, the sender
    reached `DAILY_LIMIT` today, or a text is empty or too long."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    today = today or timezone.localdate()
    refusal = notice_objection_refusal(notice, today=today)
    if refusal:
        raise FundingError(refusal)
    nonce = _token_nonce(token, notice)
    if Objection.objects.filter(form_token=nonce).exists():
        raise ObjectionAlreadyReceived(
            _("This objection has already been received; it was not sent twice.")
        )
    if award is None or not notice_objection_awards(notice).filter(pk=award.pk):
        raise FundingError({"award": [_("Choose a project of this notice.")]})
    objector, contact, content = (
        (objector or "").strip(),
        (contact or "").strip(),
        (content or "").strip(),
    )
    errors = text_refusals(Objection, objector=objector, contact=contact)
    if not objector:
        errors["objector"] = [_("Give your real name.")]
    if not contact:
        errors["contact"] = [_("Give a telephone number or address to reply to.")]
    if len(content) < CONTENT_MIN:
        errors["content"] = [
            _("Write the objection and its reasons (at least %(min)s characters).")
            % {"min": CONTENT_MIN}
        ]
    elif len(content) > CONTENT_MAX or "\x00" in content:
        errors["content"] = [
            _("At most %(max)s characters, %(count)s given.")
            % {"max": f"{CONTENT_MAX:,}", "count": f"{len(content):,}"}
        ]
    if errors:
        raise FundingError(errors)
    digest = client_hash(address)
    taken = Objection.objects.filter(
        client_hash=digest, received_on=today, submitted_online=True
    )
    too_many = FundingError(
        _(
            "At most %(limit)s objections may be sent from one address per day. "
            "Try again tomorrow, or use the contact given on the notice."
        )
        % {"limit": DAILY_LIMIT}
    )
    limits.refuse_when_full(
        taken, slot_field="day_slot", limit=DAILY_LIMIT, refusal=too_many
    )
    objection = Objection(
        award=award,
        received_on=today,
        objector=objector,
        contact=contact,
        content=content,
        submitted_online=True,
        client_hash=digest,
        form_token=nonce,
    )
    try:
        # the sender's next free place of the day: two forms sent at once cannot
        # both take the last one (core.limits)
        limits.save_in_daily_slot(
            objection,
            taken=taken,
            slot_field="day_slot",
            limit=DAILY_LIMIT,
            refusal=too_many,
        )
    except IntegrityError:
        raise ObjectionAlreadyReceived(
            _("This objection has already been received; it was not sent twice.")
        ) from None
    log(award, "funding.objection", data={"objector": objector, "online": True})
    objection_received_notify(objection, actor=None)
    return objection
