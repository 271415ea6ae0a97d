"""Who may see and change which base's residents, activities and assessments.

Department users (the `incubator.view_all_bases` permission, superusers) see every
base; an operator sees only the bases whose `operators` include them, and the
residencies, service activities and graduation assessments of those bases. The
admin viewsets list `*_visible_to(user)` and answer 404 for a record outside it
(`core.viewsets.ScopedViewSet`); the screens and services check
`base_operable_by` / `base_operation_check` again on the server."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from incubator.models import (
    Assessment,
    IncubationBase,
    OrganizationMembership,
    Residency,
    ServiceActivity,
)

VIEW_ALL = "incubator.view_all_bases"


def sees_all_bases(user):
    """Is this user a department user (sees every base read-only)?"""
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_ALL))


def bases_visible_to(user):
    """The IncubationBase queryset this user may see (none for anonymous/None)."""
    if user is None or not user.is_authenticated:
        return IncubationBase.objects.none()
    if sees_all_bases(user):
        return IncubationBase.objects.all()
    return IncubationBase.objects.filter(operators=user)


def residencies_visible_to(user):
    """The Residency queryset of the bases this user may see."""
    return Residency.objects.filter(base__in=bases_visible_to(user))


def activities_visible_to(user):
    """The ServiceActivity queryset of the bases this user may see."""
    return ServiceActivity.objects.filter(base__in=bases_visible_to(user))


def assessments_visible_to(user):
    """The Assessment queryset of the residencies this user may see."""
    return Assessment.objects.filter(residency__base__in=bases_visible_to(user))


def base_operable_by(user, base):
    """May this user manage the residents of this base? (`user=None` is system
    work — demo data, management commands — and may.)"""
    if user is None:
        return True
    return bases_visible_to(user).filter(pk=base.pk).exists()


def base_operation_check(user, base):
    """Raise PermissionDenied unless `base_operable_by(user, base)`."""
    if not base_operable_by(user, base):
        raise PermissionDenied(
            _("You do not operate the base “%(base)s”.") % {"base": base}
        )


def bases_operated_by(user):
    """The bases whose residents this user may act on (admit, record milestones):
    the visible bases, for a user holding `incubator.change_residency` (an
    operator of those bases, or an administrator); none for a department user who
    only oversees. A queryset of IncubationBase."""
    if user is None or not user.has_perm("incubator.change_residency"):
        return IncubationBase.objects.none()
    return bases_visible_to(user)


def assessments_assigned_to(user):
    """The graduation assessments naming this user among their assessors (whatever
    base: an assessor need not operate it; the scoring screen admits them). A
    queryset of Assessment."""
    if user is None or not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(assessors=user)


def organization_of(user):
    """The Organization an organization user (社会组织用户) belongs to, or None for
    anyone else (staff, anonymous, an inactive user). Every portal screen scopes its
    records by this and answers 404 for a record of another organization."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = (
        OrganizationMembership.objects.select_related("organization")
        .filter(user=user)
        .first()
    )
    return membership.organization if membership else None


def organization_of_request(request):
    """`organization_of(request.user)` asked once per request: the answer (an
    Organization or None) is kept on the request object and reused for the same
    user — the menu's 我的机构 items and the portal screen of one request ask it
    up to six times. Never kept beyond the request: a membership made by the
    invitation flow counts from the next request on. A request whose user has
    changed (logged in, deactivated) within it is asked again."""
    user = getattr(request, "user", None)
    key = (
        (getattr(user, "pk", None), getattr(user, "is_active", None))
        if user is not None and user.is_authenticated
        else None
    )
    memo = request.__dict__.get("_organization_of")
    if memo is None or memo[0] != key:
        memo = (key, organization_of(user))
        request._organization_of = memo
    return memo[1]


INVITE = "incubator.add_organizationinvitation"


def invites_every_organization(user):
    """May this user invite the people of every organization (a department user
    with `INVITE`)? A bool; `organizations_invitable_by` is then all of them."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm(INVITE)
        and sees_all_bases(user)
    )


def organizations_invitable_by(user):
    """The organizations whose people this user may invite (邀请机构用户): every
    organization for a department user (fund manager, administrator:
    `invites_every_organization`); for a base operator only the organizations
    resident (an active residency) in a base they operate. A queryset of
    Organization; none without `INVITE`."""
    from incubator.models import Organization

    if user is None or not user.is_authenticated or not user.has_perm(INVITE):
        return Organization.objects.none()
    if sees_all_bases(user):  # with INVITE: `invites_every_organization`
        return Organization.objects.all()
    return Organization.objects.filter(
        residencies__in=Residency.objects.active().filter(
            base__in=bases_visible_to(user)
        )
    ).distinct()


def may_invite(user, organization):
    """May this user invite people of this organization?"""
    return organizations_invitable_by(user).filter(pk=organization.pk).exists()
