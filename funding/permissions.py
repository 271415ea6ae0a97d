"""Who sees and does what in funding — one place.

- Permission codenames the screens check (`MANAGE`, `SCORE`, …).
- A reviewer's records: `reviews_for(user)` (listed) and `reviews_open_to(user)`
  (openable); any other review id answers 404 on the reviewer's screens.
- Blind review: what a reviewer sees of an application (pages, exports, attachment
  names): `reviewer_view`, `applicant_name`, `title_for_reviewer`,
  `attachment_name`.
- Separation of duties on payments: `payment_duty_refusal`, `payment_next_step`.
- Screens that would bypass the services are closed to everybody, administrators
  included (`register_policies`): awards and disbursements are created by the
  services (notice, desk), a disbursement's status and a payment are never edited
  by hand, and money records are never deleted (a disbursement is rejected
  instead).
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.money import yuan_text
from core.numbers import count_display
from funding.choices import IDENTIFYING_FIELD_CHOICES, ReviewStatus
from funding.models import (
    Award,
    DeclaredConflict,
    Disbursement,
    PerformanceEvaluation,
    PublicNotice,
    PurchasePayment,
    Review,
    ServicePurchase,
)

# Permission codenames of the funding screens.
MANAGE = "funding.change_application"  # the call desk and decisions
SCORE = "funding.score_review"  # a reviewer's own reviews
MANAGE_AWARDS = "funding.change_award"
APPROVE_DISBURSEMENT = "funding.approve_disbursement"  # fund manager
PAY_DISBURSEMENT = "funding.pay_disbursement"  # finance
APPROVE_PURCHASE = "funding.approve_purchasepayment"
PAY_PURCHASE = "funding.pay_purchasepayment"
VIEW_PURCHASES = "funding.view_servicepurchase"


def reviews_for(user):
    """A reviewer's own assignments, as listed to them (not the withdrawn ones)."""
    return Review.objects.filter(reviewer=user).exclude(status=ReviewStatus.WITHDRAWN)


def reviews_open_to(user):
    """The reviews a reviewer may open: their own, neither taken back for a
    conflict nor excluded, and none with an organization they have a declared
    conflict with (refused even before the conflict was applied)."""
    return (
        reviews_for(user)
        .exclude(status__in=[ReviewStatus.CONFLICT, ReviewStatus.EXCLUDED])
        .exclude(
            Exists(
                DeclaredConflict.objects.filter(
                    reviewer=user, organization=OuterRef("application__organization")
                )
            )
        )
    )


HIDDEN = "■■■"


def is_blind(call):
    """Whether the call's reviewers review blind (bool)."""
    return call.blind_review


def applicant_name(application):
    """The applicant as a reviewer sees it: its name, or the number when blind."""
    if is_blind(application.call):
        return str(application.reference)
    return application.organization.name


def reviewer_view(application):
    """The rows of the application shown to a reviewer, blind fields hidden."""
    call = application.call
    blind = is_blind(call)
    hidden = set(call.identifying_fields) if blind else set()
    org = application.organization
    rows = [(_("Number"), str(application.reference))]
    if not blind:
        rows += [
            (_("Applicant"), org.name),
            (_("Unified social credit code"), org.uscc or org.filing_number),
            (_("Contact person"), org.contact_name),
            (_("Contact phone"), org.contact_phone),
            (_("Contact email"), org.contact_email),
        ]
    rows += [
        (_("Organization type"), org.get_org_type_display()),
        (_("Registration level"), org.get_registration_level_display()),
    ]
    labels = dict(IDENTIFYING_FIELD_CHOICES)
    values = {
        "title": application.title,
        "summary": application.summary,
        "target_region": str(application.target_region or ""),
        "beneficiaries": _join_beneficiaries(application),
    }
    for name, value in values.items():
        rows.append((labels[name], HIDDEN if name in hidden else value))
    rows.append((_("Requested amount (yuan)"), yuan_text(application.requested_amount)))
    return rows


def _join_beneficiaries(application):
    if application.beneficiary_count:
        count = count_display(application.beneficiary_count)
        return f"{application.beneficiaries}（{count}人）"
    return application.beneficiaries


def attachment_name(attachment, number):
    """Under blind review an attachment is called by number, never by its title or
    file name (which often carry the applicant's name)."""
    extension = attachment.document.file_extension
    if is_blind(attachment.application.call):
        # a msgid with placeholders: an f-string is never extracted for translation
        return _("Attachment %(number)s.%(extension)s") % {
            "number": number,
            "extension": extension,
        }
    return f"{attachment.title}.{extension}"


def title_for_reviewer(application):
    """The title as a reviewer sees it: the number when the call hides titles."""
    call = application.call
    if is_blind(call) and "title" in call.identifying_fields:
        return str(application.reference)
    return application.title


# The steps of a payment (award disbursement or purchase payment) after recording.
APPROVE = "approve"
PAY = "pay"


def payment_duty_refusal(payment, user, step):
    """Separation of duties (DESIGN.md): whoever records a
    payment, whoever approves it and whoever pays it are three different people.

    `payment` is a `Disbursement` or a `PurchasePayment` (anything with
    `recorded_by_id` and `approved_by_id`); `step` is APPROVE or PAY. Returns the
    reason `user` may not take that step on it, or None. Administrators and
    superusers are not exempt. The services refuse with this reason and the
    screens show it instead of the button.
    """
    if user is None or user.pk is None:
        return _("Sign in to approve or pay.")
    if step == APPROVE and user.pk == payment.recorded_by_id:
        return _(
            "You recorded this payment: someone else approves it (whoever records, "
            "approves and pays a payment are three different people)."
        )
    if step == PAY:
        if user.pk == payment.recorded_by_id:
            return _(
                "You recorded this payment: a third person pays it (whoever "
                "records, approves and pays a payment are three different people)."
            )
        if user.pk == payment.approved_by_id:
            return _(
                "You approved this payment: a third person pays it (whoever "
                "records, approves and pays a payment are three different people)."
            )
    return None


def payment_next_step(payment, user, *, approve_perm, pay_perm):
    """What `user` can do next with a payment, for the screens: `(step, refusal)`.

    `step` is APPROVE (recorded), PAY (approved) or None (paid or rejected);
    `refusal` is None when the user may take that step, else the reason shown in
    place of the button: the role lacks `approve_perm`/`pay_perm`, or
    `payment_duty_refusal` says the user already had a hand in it."""
    status = getattr(payment.status, "value", payment.status)
    if status == "recorded":
        step, perm = APPROVE, approve_perm
    elif status == "approved":
        step, perm = PAY, pay_perm
    else:
        return None, None
    if not user.has_perm(perm):
        if step == APPROVE:
            return step, _("Awaiting a fund manager's approval.")
        return step, _("Awaiting payment by finance.")
    return step, payment_duty_refusal(payment, user, step)


class ServiceOnlyPolicy(ModelPermissionPolicy):
    """The model's permissions, less the `refused` actions (for everybody)."""

    def __init__(self, model, refused):
        super().__init__(model)
        self.refused = set(refused)

    def user_has_permission(self, user, action):
        if action in self.refused:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.refused]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)


def register_policies():
    """Close the screens that would bypass the services (called from `apps.ready`)."""
    for model, refused in [
        (PublicNotice, {"delete"}),
        (Award, {"add", "delete"}),
        (Disbursement, {"add", "change", "delete"}),
        (ServicePurchase, {"delete"}),
        (PurchasePayment, {"change", "delete"}),  # approved and paid by services
        (PerformanceEvaluation, {"delete"}),
    ]:
        register_permission_policy(model, ServiceOnlyPolicy(model, refused))
