"""Funding links: which grant awards, purchases and self-raised money pay for a project.

Grant awards and government purchases belong to the funding module. It attaches them
by registering their model here:

    funding_source_register(FundingKind.GRANT_AWARD, Award,
                            capacity=lambda award: award.approved_amount,
                            fund_label=lambda award: str(award.application.call.fund))

After that, links of that kind must point to such a record, and the links to one record
(over every project) never claim more than its capacity (the award or contract amount).

Whose money (issue 13, item 3): a project may link only to awards and purchases of
its own organization (the pairing's organization) or of an organization of an alliance
(合力团) that organization belongs to. `owner` names the record's organization field
(e.g. "application__organization" for an award, "supplier" for a purchase). The rule
lives here, once: `funding_link_owners` says whose records a pairing may use,
`funding_source_eligible` filters a source's records by it (the chooser), and
`funding_link_check_source` refuses any other record (model clean and save, so the
admin form, its inline, imports and scripts all meet it). A source registered without
`owner` offers nothing and accepts nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from projects.choices import FundingKind
from projects.services import ProjectsError


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
    order; `owner` → the lookup of the record's organization (issue 13 item 3)."""
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
    the pairings naming it, and its lead organization. Issue 13, item 3."""
    from projects.models import Alliance, Pairing

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
    or purchase. Issue 13, item 3: a coordinator linked their project to another
    organization's award with 1.00 yuan and the award's tranche became payable."""
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


def _yuan(value):
    return f"{Decimal(value).quantize(Decimal('0.01')):,}"


def funding_links_check_capacity(project, links):
    """The links of `project` (unsaved ones included) plus every other project's
    links to the same record never exceed what the award or contract holds."""
    from projects.models import FundingLink

    wanted = {}
    for link in links:
        if link.kind == FundingKind.SELF_RAISED or not link.source_id:
            continue
        key = (link.kind, link.source_type_id, link.source_id)
        wanted[key] = wanted.get(key, Decimal("0")) + (link.amount or 0)
    for (kind, type_id, source_id), amount in wanted.items():
        source = funding_source_for(kind)
        record = source.model._default_manager.get(pk=source_id)
        others = FundingLink.objects.filter(source_type_id=type_id, source_id=source_id)
        if project.pk:
            others = others.exclude(project_id=project.pk)
        elsewhere = others.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        capacity = Decimal(source.capacity(record))
        if elsewhere + amount > capacity:
            raise ProjectsError(
                _(
                    "%(record)s holds %(capacity)s yuan; other projects already claim "
                    "%(elsewhere)s yuan, so this project can claim at most "
                    "%(left)s yuan, not %(amount)s."
                )
                % {
                    "record": record,
                    "capacity": _yuan(capacity),
                    "elsewhere": _yuan(elsewhere),
                    "left": _yuan(capacity - elsewhere),
                    "amount": _yuan(amount),
                }
            )


def funding_record_projects(record):
    """The projects funded by `record` (an award or purchase) through a link that
    keeps the rule of `funding_link_is_eligible`: a link stored before the rule, to
    another organization's record, is not counted (issue 13 item 3: such a link
    made an award's "approved outcomes" tranche payable). A list of Project."""
    from projects.models import FundingLink

    record_type = ContentType.objects.get_for_model(type(record))
    links = FundingLink.objects.filter(
        source_type=record_type, source_id=record.pk
    ).select_related("project__pairing")
    projects = {}
    for link in links:
        if link.project_id not in projects and funding_link_is_eligible(link):
            projects[link.project_id] = link.project
    return list(projects.values())
