"""Funding links: which grant awards, purchases and self-raised money pay for a project.

Grant awards and government purchases belong to the funding module. It attaches them
by registering their model here:

    funding_source_register(FundingKind.GRANT_AWARD, Award,
                            capacity=lambda award: award.approved_amount,
                            fund_label=lambda award: str(award.application.call.fund))

After that, links of that kind must point to such a record, and the links to one record
(over every project) never claim more than its capacity (the award or contract amount).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils.translation import gettext as _

from projects.choices import FundingKind
from projects.services import ProjectsError


@dataclass(frozen=True)
class FundingSource:
    kind: str
    model: type
    capacity: object  # callable(record) -> Decimal
    fund_label: object  # callable(record) -> str


_sources = {}


def funding_source_register(kind, model, *, capacity, fund_label=str):
    _sources[kind] = FundingSource(kind, model, capacity, fund_label)


def funding_source_unregister(kind):
    _sources.pop(kind, None)


def funding_source_for(kind):
    return _sources.get(kind)


def funding_link_check_source(link):
    """A single link: self-raised needs no record; the others need their record."""
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
