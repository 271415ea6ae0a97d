"""Who may see and change which base's residents.

Department users (the `incubator.view_all_bases` permission, superusers) see every
base; an operator sees only the bases whose `operators` include them. Views filter
their querysets with these functions and services check them again."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from incubator.models import IncubationBase

VIEW_ALL = "incubator.view_all_bases"


def sees_all_bases(user):
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_ALL))


def bases_visible_to(user):
    if user is None or not user.is_authenticated:
        return IncubationBase.objects.none()
    if sees_all_bases(user):
        return IncubationBase.objects.all()
    return IncubationBase.objects.filter(operators=user)


def base_operable_by(user, base):
    """May this user manage the residents of this base?"""
    if user is None:  # system work: demo data, management commands
        return True
    return bases_visible_to(user).filter(pk=base.pk).exists()


def base_operation_check(user, base):
    if not base_operable_by(user, base):
        raise PermissionDenied(
            _("You do not operate the base “%(base)s”.") % {"base": base}
        )
