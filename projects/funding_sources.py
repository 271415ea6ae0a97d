"""Funding sources: which grant awards, purchases and self-raised money may pay for a
project.

Grant awards and government purchases belong to the funding module. It attaches them
by registering their model here:

    funding_source_register(FundingKind.GRANT_AWARD, Award,
                            capacity=lambda award: award.approved_amount,
                            fund_label=lambda award: str(award.application.call.fund))

After that, links of that kind must point to such a record, and the links to one record
(over every project) never claim more than its capacity (the award or contract amount).

Whose money: a project may link only to awards and purchases of
its own organization (the pairing's organization) or of an organization of an alliance
(合力团) that organization belongs to. `owner` names the record's organization field
(e.g. "application__organization" for an award, "supplier" for a purchase). The rule
lives here, once: `funding_link_owners` says whose records a pairing may use,
`funding_source_eligible` filters a source's records by it (the chooser), and
`funding_link_check_source` refuses any other record (model clean and save, so the
admin form, its inline, imports and scripts all meet it). A source registered without
`owner` offers nothing and accepts nothing. The capacity rule over all of a record's
links is `projects.models.projects.funding_links_check_capacity`; the projects a
record funds are `projects.selectors.funding.funding_record_projects`.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from projects.choices import FundingKind
from projects.errors import ProjectsError
from projects.models.pairings import Alliance, Pairing


@dataclass(frozen=True)
class FundingSource:
    kind: str
    model: type
    capacity: object  # callable(record) -> Decimal
    fund_label: object  # callable(record) -> str
    queryset: object = None  # callable() -> the records offered in the chooser
    owner: str = ""  # lookup of the record's organization, e.g. "supplier"

    def choices(self):
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()


_sources = {}


def funding_source_register(
    kind, model, *, capacity, fund_label=str, queryset=None, owner=""
):
    """Register `model` as the record behind links of `kind`.

    `capacity(record)` → Decimal yuan the links may claim in all; `fund_label(record)`
    → the fund name shown on the link; `queryset()` → the records in their chooser
    order; `owner` → the lookup of the record's organization."""
    _sources[kind] = FundingSource(kind, model, capacity, fund_label, queryset, owner)


def registered_sources():
    return [_sources[kind] for kind in FundingKind.values if kind in _sources]


def funding_source_unregister(kind):
    _sources.pop(kind, None)


def funding_source_for(kind):
    return _sources.get(kind)


def funding_link_owners(pairing):
    """Primary keys of the organizations whose awards and purchases a project of
    `pairing` may use: the pairing's organization and every organization of an
    alliance (合力团) it belongs to — an alliance it belongs to is one named by any
    of its pairings or one it leads; the alliance's members are the organizations of
    the pairings naming it, and its lead organization."""
    org = pairing.organization_id
    alliances = Alliance.objects.filter(
        Q(pairings__organization_id=org) | Q(lead_organization_id=org)
    ).values("pk")
    owners = {org}
    owners.update(
        Pairing.objects.filter(alliance__in=alliances).values_list(
            "organization_id", flat=True
        )
    )
    owners.update(
        Alliance.objects.filter(pk__in=alliances)
        .exclude(lead_organization=None)
        .values_list("lead_organization_id", flat=True)
    )
    return owners


def funding_source_eligible(source, pairings):
    """The records of `source` that projects of any of `pairings` (Pairing objects)
    may link to, in the chooser's order. Nothing when the source has no `owner`."""
    owners = set()
    for pairing in pairings:
        owners |= funding_link_owners(pairing)
    if not source.owner or not owners:
        return source.model._default_manager.none()
    return source.choices().filter(**{f"{source.owner}__in": owners})


def _link_pairing(link):
    # a new inline link has no project yet (modelcluster adds it on save)
    project = getattr(link, "project", None)
    if project is None or not project.pairing_id:
        return None
    return project.pairing


def funding_link_is_eligible(link, pairing=None):
    """True when the link's award or purchase belongs to the project's organization
    or to an alliance it belongs to (self-raised money always is). `pairing`
    overrides the project's pairing (a form changing both at once)."""
    if link.kind == FundingKind.SELF_RAISED:
        return True
    source = funding_source_for(link.kind)
    pairing = pairing or _link_pairing(link)
    if source is None or not link.source_id or pairing is None:
        return False
    expected = ContentType.objects.get_for_model(source.model)
    if link.source_type_id and link.source_type_id != expected.pk:
        return False
    return funding_source_eligible(source, [pairing]).filter(pk=link.source_id).exists()


def funding_link_check_eligible(link, pairing=None):
    """Refuse (ProjectsError on `source_id`) a link to another organization's award
    or purchase: a coordinator who linked their project to another organization's
    award with 1.00 yuan would make that award's tranche payable."""
    if pairing is None and _link_pairing(link) is None:
        return  # no pairing known yet: the project form checks with its own
    if not funding_link_is_eligible(link, pairing):
        raise ProjectsError(
            {
                "source_id": _(
                    "A project may use only the awards and purchases of its own "
                    "organization or of an alliance (合力团) that organization "
                    "belongs to; the one chosen is not among them."
                )
            }
        )


def funding_link_check_source(link):
    """A single link: self-raised needs no record; the others need their record,
    and that record must be the project's organization's (or its alliance's)."""
    if link.kind == FundingKind.SELF_RAISED:
        if link.source_id:
            raise ProjectsError(
                {"kind": _("Self-raised money is not linked to an award or purchase.")}
            )
        if not link.fund_name:
            link.fund_name = _("Self-raised")
        return
    source = funding_source_for(link.kind)
    if source is None:
        raise ProjectsError(
            {
                "kind": _(
                    "%(kind)s cannot be linked yet: the funding module that records "
                    "them is not installed. Record self-raised money for now."
                )
                % {"kind": link.get_kind_display()}
            }
        )
    expected = ContentType.objects.get_for_model(source.model)
    if link.source_id and not link.source_type_id:
        link.source_type = expected  # chosen in the admin: the kind gives the type
    if link.source_type_id != expected.pk or not link.source_id:
        raise ProjectsError(
            {"kind": _("Choose the award or purchase this money comes from.")}
        )
    record = source.model._default_manager.filter(pk=link.source_id).first()
    if record is None:
        raise ProjectsError(
            {"kind": _("The linked award or purchase no longer exists.")}
        )
    link.fund_name = source.fund_label(record)
    funding_link_check_eligible(link)
