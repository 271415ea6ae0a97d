"""Screens that would bypass the services are closed to everybody, administrators
included: awards and disbursements are created by the services (notice, desk), a
disbursement's status and a payment are never edited by hand, and money records
are never deleted (a disbursement is rejected instead)."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


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
        (PurchasePayment, {"change", "delete"}),
        (PerformanceEvaluation, {"delete"}),
    ]:
        register_permission_policy(model, ServiceOnlyPolicy(model, refused))
