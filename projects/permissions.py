"""Who sees which pairing, and so which projects, reports and files.

Users with the `projects.view_all_pairings` permission (and superusers) see every
pairing; a coordinator sees only the pairings whose `coordinators` include them, and
the projects, outcome reports and evidence under those. Listings, choosers, forms,
roll-ups and the import filter their querysets with these functions; every object
screen answers 404 for a record outside them (`core.viewsets.ScopedViewSet`), the
product's one refusal for a record outside the user's scope. Services check again
(`report_visible`). The public sees only `evidence_public()`."""

from projects.choices import ReportStatus
from projects.models import OutcomeEvidence, OutcomeReport, Pairing, Project

VIEW_ALL = "projects.view_all_pairings"


def user_sees_all_pairings(user):
    """True for superusers and holders of `projects.view_all_pairings`."""
    return user.is_superuser or user.has_perm(VIEW_ALL)


def pairings_visible_to(user):
    """The pairings `user` may see: all with full access, otherwise only the ones
    they coordinate (a queryset of Pairing)."""
    if user_sees_all_pairings(user):
        return Pairing.objects.all()
    return Pairing.objects.filter(coordinators=user)


def projects_visible_to(user):
    """The projects under the pairings `user` may see (a queryset of Project)."""
    return Project.objects.filter(pairing__in=pairings_visible_to(user))


def reports_visible_to(user):
    """The outcome reports under the pairings `user` may see (a queryset)."""
    return OutcomeReport.objects.filter(project__pairing__in=pairings_visible_to(user))


def pairing_visible(user, pairing):
    """May `user` see this pairing (and what is under it)?"""
    return (
        user_sees_all_pairings(user) or pairing.coordinators.filter(pk=user.pk).exists()
    )


def report_visible(user, report):
    """May `user` see this outcome report?"""
    return pairing_visible(user, report.project.pairing)


def evidence_public():
    """The evidence anyone may download: marked “may be shown publicly” by the
    coordinator AND belonging to an approved report. Evidence of a draft, submitted
    or returned report is never public, whatever its flag: it has not been checked
    yet. A queryset of OutcomeEvidence."""
    return OutcomeEvidence.objects.filter(
        is_public=True, report__status=ReportStatus.APPROVED
    )


# --- the organization's own projects (社会组织用户, 我的机构 → 成效报告) ------------------
# An organization user holds no model permission: it reaches the projects of the
# pairings of its own organization (incubator.permissions.organization_of), their
# reports and evidence, through the portal screens only. It never approves.


def projects_of_organization(organization):
    """The projects of the pairings of `organization` (a queryset of Project; none
    for None): the projects an organization reports its outcomes for."""
    if organization is None:
        return Project.objects.none()
    return Project.objects.filter(pairing__organization=organization)


def reports_of_organization(organization):
    """The outcome reports of `projects_of_organization(organization)`."""
    if organization is None:
        return OutcomeReport.objects.none()
    return OutcomeReport.objects.filter(project__pairing__organization=organization)


def report_of_own_organization(user, report):
    """Is `report` a report of a project of `user`'s organization (a 社会组织用户 of
    the pairing's organization)?"""
    from incubator.permissions import organization_of

    organization = organization_of(user)
    return (
        organization is not None
        and report.project.pairing.organization_id == organization.pk
    )


def report_editable_by(user, report):
    """May `user` fill in and submit `report`: staff within their pairings (the
    services check the model permission), or a user of the project's organization."""
    return report_visible(user, report) or report_of_own_organization(user, report)
