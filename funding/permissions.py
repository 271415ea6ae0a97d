"""Screens that would bypass the services are closed to everybody, administrators
included: awards and disbursements are created by the services (notice, desk), a
disbursement's status and a payment are never edited by hand, and money records
are never deleted (a disbursement is rejected instead)."""

from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

# The steps of a payment (award disbursement or purchase payment) after recording.
APPROVE = "approve"
PAY = "pay"


def payment_duty_refusal(payment, user, step):
    """Separation of duties (DESIGN.md; issue 13 item 9): whoever records a
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
    from funding.award_models import Award, Disbursement, PublicNotice
    from funding.purchase_models import (
        PerformanceEvaluation,
        PurchasePayment,
        ServicePurchase,
    )

    for model, refused in [
        (PublicNotice, {"delete"}),
        (Award, {"add", "delete"}),
        (Disbursement, {"add", "change", "delete"}),
        (ServicePurchase, {"delete"}),
        (PurchasePayment, {"change", "delete"}),  # approved and paid by services
        (PerformanceEvaluation, {"delete"}),
    ]:
        register_permission_policy(model, ServiceOnlyPolicy(model, refused))
