"""Accounts of organization users (社会组织用户): invitations and self-registration.

Two ways in, both ending in an active user in the group 社会组织用户 with one
`OrganizationMembership`:

- an invitation (`invitation_create`) by a fund manager, or by a base operator for
  an organization resident in their base: an e-mail with a one-time link, valid
  `INVITATION_DAYS` days, where the person chooses a username and password
  (`invitation_accept`);
- a self-registration (`account_request_submit`), limited to `REQUESTS_PER_DAY`
  per client address a day, which a fund manager approves after checking the USCC
  and the name against the registry (`account_request_approve`) or rejects with a
  reason, e-mailed (`account_request_reject`). A request whose name or code is not
  the registry's is approved only for a registry organization the fund manager
  names, with a reason kept in the request's history.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import limits, roles
from core.models import NotificationKind
from core.notifications import notify, permission_holders
from incubator.errors import IncubationError
from incubator.models import (
    INVITATION_DAYS,
    AccountRequest,
    AccountRequestStatus,
    OrganizationInvitation,
    OrganizationMembership,
)
from incubator.permissions import may_invite
from incubator.selectors.portal import FOUND, MISSING, registry_match
from incubator.uscc import uscc_validate

#: Self-registrations accepted from one client address a day (Asia/Shanghai).
REQUESTS_PER_DAY = 5
#: Who decides account requests (and is told of new ones).
DECIDE = "incubator.change_accountrequest"


def token_hash(token):
    """The SHA-256 (hex) under which an invitation token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(address):
    """The SHA-256 of a client address salted with the site's secret: what the
    rate limit counts by, so the address itself is never stored."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _username_check(username):
    User = get_user_model()  # noqa: N806
    if User.objects.filter(username__iexact=username).exists():
        raise IncubationError(
            {"username": _("The username “%(name)s” is taken.") % {"name": username}}
        )


def _password_check(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise IncubationError({"password": exc.messages}) from exc


def _make_member(*, organization, username, email, password_hash, title=""):
    User = get_user_model()  # noqa: N806
    user = User(username=username, email=email, is_active=True)
    user.password = password_hash
    user.save()
    user.groups.add(roles.role_group(roles.ORGANIZATION))
    OrganizationMembership.objects.create(
        user=user, organization=organization, title=title
    )
    return user


@transaction.atomic
def invitation_create(*, organization, email, user, title=""):
    """Invite `email` to become a user of `organization` and send the e-mail with
    the one-time link. Returns (invitation, token); only the token's hash is
    stored. Raises IncubationError unless `user` may invite this organization
    (`incubator.permissions.may_invite`) or when the address already has an
    account of this organization."""
    if user is not None and not may_invite(user, organization):
        raise IncubationError(
            _("You may not invite users of “%(organization)s”.")
            % {"organization": organization}
        )
    email = email.strip().lower()
    if OrganizationMembership.objects.filter(
        organization=organization, user__email__iexact=email
    ).exists():
        raise IncubationError(
            {
                "email": _("%(email)s already has an account of this organization.")
                % {"email": email}
            }
        )
    token = secrets.token_urlsafe(32)
    invitation = OrganizationInvitation.objects.create(
        organization=organization,
        email=email,
        title=title,
        invited_by=user,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    link = _absolute(reverse("incubator_invitation_accept", args=[token]))
    expires = timezone.localtime(invitation.expires_at)
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to the platform for %(organization)s")
            % {"organization": organization},
            _(
                "You are invited to use the social organization platform as a user "
                "of %(organization)s.\n\nOpen this link to choose your username and "
                "password (valid until %(expires)s, for one use only):\n%(link)s\n"
            )
            % {
                "organization": organization,
                "expires": expires.strftime("%Y-%m-%d %H:%M"),
                "link": link,
            },
            None,
            [email],
        )
    )
    return invitation, token


def invitation_open(token):
    """The invitation of this token, if it can still be used. Raises
    IncubationError saying why not: unknown, already used, or expired."""
    invitation = (
        OrganizationInvitation.objects.select_related("organization")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise IncubationError(
            _("This invitation link is not valid. Check the link in the e-mail.")
        )
    if invitation.used_at is not None:
        raise IncubationError(
            _(
                "This invitation was already used on %(date)s. Log in with the "
                "account created then, or ask for a new invitation."
            )
            % {"date": timezone.localtime(invitation.used_at).strftime("%Y-%m-%d")}
        )
    if invitation.expires_at <= timezone.now():
        raise IncubationError(
            _("This invitation expired on %(date)s. Ask for a new invitation.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token, username, password):
    """Use the invitation: create an active user `username` (password checked by
    Django's validators) in the group 社会组织用户, a member of the invitation's
    organization. Returns the user. Raises IncubationError for a used, expired or
    unknown link, a taken username or a weak password; a second use is refused
    (the row is locked while it is used)."""
    invitation = invitation_open(token)
    invitation = OrganizationInvitation.objects.select_for_update().get(
        pk=invitation.pk
    )
    invitation_open(token)  # again, under the lock
    username = username.strip()
    _username_check(username)
    User = get_user_model()  # noqa: N806
    _password_check(password, User(username=username, email=invitation.email))
    user = _make_member(
        organization=invitation.organization,
        username=username,
        email=invitation.email,
        password_hash=make_password(password),
        title=invitation.title,
    )
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    return user


@transaction.atomic
def account_request_submit(
    *,
    organization_name,
    uscc,
    contact_name,
    phone,
    email,
    username,
    password,
    client_address,
    now=None,
):
    """Record a self-registration (pending) and tell the fund managers
    (ACCOUNT_REQUESTED). Raises IncubationError: more than `REQUESTS_PER_DAY`
    requests from this client address on one day (Asia/Shanghai; two racing
    requests cannot both take the last place: `core.limits`), a USCC that fails
    `incubator.uscc.uscc_validate`, a taken username (or one already asked for in
    a pending request), a weak password."""
    now = now or timezone.now()
    sender = client_hash(client_address or "")
    day = timezone.localdate(now)
    taken = AccountRequest.objects.filter(client_hash=sender, day=day)
    too_many = IncubationError(
        _(
            "Too many requests from your network today (at most %(count)s a "
            "day). Please try again tomorrow."
        )
        % {"count": REQUESTS_PER_DAY}
    )
    limits.refuse_when_full(
        taken, slot_field="day_slot", limit=REQUESTS_PER_DAY, refusal=too_many
    )
    try:
        uscc = uscc_validate(uscc)
    except ValidationError as exc:
        raise IncubationError({"uscc": exc.messages}) from exc
    username = username.strip()
    _username_check(username)
    if AccountRequest.objects.filter(
        username__iexact=username, status=AccountRequestStatus.PENDING
    ).exists():
        raise IncubationError(
            {"username": _("The username “%(name)s” is taken.") % {"name": username}}
        )
    User = get_user_model()  # noqa: N806
    _password_check(password, User(username=username, email=email))
    request = limits.save_in_daily_slot(
        AccountRequest(
            organization_name=organization_name.strip(),
            uscc=uscc,
            contact_name=contact_name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            username=username,
            password_hash=make_password(password),
            client_hash=sender,
            created_at=now,
            day=day,
        ),
        taken=taken,
        slot_field="day_slot",
        limit=REQUESTS_PER_DAY,
        refusal=too_many,
    )
    notify(
        NotificationKind.ACCOUNT_REQUESTED,
        permission_holders(DECIDE),
        title=gettext_lazy("An organization asks for an account"),
        link=reverse("incubator_account_request", args=[request.pk]),
        key=f"account-request-{request.pk}",
    )
    return request


def _locked_pending(account_request):
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if locked.status != AccountRequestStatus.PENDING:
        raise IncubationError(
            _("This request was already decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def account_request_approve(*, account_request, user, organization=None, reason=""):
    """Approve: create the active user (the password chosen at registration) in
    the group 社会组织用户, a member of the registry's organization. Returns the
    user.

    A request whose USCC and name are the registry's (`registry_match` FOUND) is
    approved for that organization. Otherwise (the name differs, or the code is
    not in the registry) the fund manager states which registry `organization` the
    person belongs to and gives the `reason` (why the difference is harmless, how it
    was checked); both are stored on the request and kept in its history.

    Raises IncubationError when the request was already decided, when a request
    that does not match the registry comes without the organization or the reason
    (a code not in the registry and no organization: add it to the registry
    first), or when the username was taken meanwhile."""
    locked = _locked_pending(account_request)
    match = registry_match(locked)
    reason = (reason or "").strip()
    if match["state"] == FOUND:
        organization = match["organization"]
        reason = ""
    else:
        errors = {}
        if organization is None:
            errors["organization"] = [
                _(
                    "No organization with the code %(uscc)s is in the registry: add "
                    "it to the registry first, name the registry organization the "
                    "requester belongs to, or reject the request."
                )
                % {"uscc": locked.uscc}
                if match["state"] == MISSING
                else _(
                    "Say which registry organization the requester belongs to: the "
                    "name or the code in the request differs from the registry."
                )
            ]
        if not reason:
            errors["reason"] = [
                _(
                    "Give the reason for approving although the request differs "
                    "from the registry (kept in the history)."
                )
            ]
        if errors:
            raise IncubationError(errors)
    _username_check(locked.username)
    member = _make_member(
        organization=organization,
        username=locked.username,
        email=locked.email,
        password_hash=locked.password_hash,
        title=_("contact person"),
    )
    member.last_name = locked.contact_name
    member.save(update_fields=["last_name"])
    locked.status = AccountRequestStatus.APPROVED
    locked.organization = organization
    locked.reason = reason
    locked._history_user = user
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.user = member
    locked.save()
    login = _absolute(reverse("wagtailadmin_login"))
    transaction.on_commit(
        lambda: send_mail(
            _("Your account request was approved"),
            _(
                "Your account “%(username)s” for %(organization)s is ready. Log in "
                "at %(link)s"
            )
            % {
                "username": locked.username,
                "organization": organization,
                "link": login,
            },
            None,
            [locked.email],
        )
    )
    account_request.refresh_from_db()
    return member


@transaction.atomic
def account_request_reject(*, account_request, user, reason):
    """Reject with a reason (required), e-mailed to the requester. Raises
    IncubationError without a reason or when the request was already decided."""
    reason = (reason or "").strip()
    if not reason:
        raise IncubationError({"reason": _("Give the reason for the rejection.")})
    locked = _locked_pending(account_request)
    locked.status = AccountRequestStatus.REJECTED
    locked.reason = reason
    locked._history_user = user
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save()
    transaction.on_commit(
        lambda: send_mail(
            _("Your account request was not approved"),
            _(
                "Your account request for %(organization)s was not approved.\n\n"
                "Reason: %(reason)s"
            )
            % {"organization": locked.organization_name, "reason": reason},
            None,
            [locked.email],
        )
    )
    account_request.refresh_from_db()
    return locked
