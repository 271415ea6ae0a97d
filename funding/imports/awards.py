"""Importing past awards from Excel/CSV: the award columns, then the importer.

A province's lottery-fund awards of past years, recorded as made with their real
dates (`funding.services.past_awards`): no review is re-run. The fund (by name and
year) and the call are created when missing; the preview lists them
(`ValidationResult.notices`) for the officer to confirm.
"""

import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.money import money_output_field, yuan_text
from core.spreadsheets import Column, RowError, parse_date, parse_int, uscc_column
from funding.imports.cells import parse_amount, parse_paid_amount, text_limit
from funding.models import Application, Award, Call, Fund
from funding.models.awards import DisbursementStatus
from funding.services.past_awards import (
    PAST_AWARD_FIELDS,
    fund_source_guess,
    past_award_record,
    past_award_refusals,
    past_award_update,
    past_award_update_refusals,
    past_call_get_or_create,
    past_call_name,
)
from incubator.selectors.organizations import OrganizationsByCode

# Years a past award may carry: the lottery public-welfare fund's awards to social
# organizations start in the 2000s; a year after this one is a typing error.
FIRST_YEAR = 2000

AWARD_COLUMNS = [
    uscc_column(export="application.organization.uscc", required=True),
    Column(
        "organization",
        gettext_lazy("Organization"),
        export="application.organization.name",
        read_only=True,
    ),
    Column(
        "fund",
        gettext_lazy("fund name"),
        required=True,
        parse=text_limit(Fund, "name"),
        aliases=("资金", "基金名称"),
        export="application.call.fund.name",
    ),
    Column(
        "year",
        gettext_lazy("year"),
        required=True,
        parse=parse_int,
        export="application.call.fund.year",
    ),
    Column(
        "title",
        gettext_lazy("project name"),
        required=True,
        parse=text_limit(Application, "title"),
        aliases=("title", "项目", "资助项目"),
        export="application.title",
    ),
    Column(
        "amount",
        gettext_lazy("amount awarded (yuan)"),
        required=True,
        parse=parse_amount,
        aliases=("资助金额", "立项金额（元）", "approved amount (yuan)"),
        wan_aliases=("资助金额（万元）", "立项金额（万元）", "金额（万元）"),
        export="approved_amount",
    ),
    # Required of a new award (`AwardImporter.plan`); an award still in its public
    # notice has no date yet, and its exported row comes back with the cell empty.
    Column(
        "awarded_on",
        gettext_lazy("awarded on"),
        parse=parse_date,
        aliases=("立项时间",),
    ),
    Column(
        "call",
        gettext_lazy("call"),
        parse=text_limit(Call, "name"),
        aliases=("批次",),
        export="application.call",
    ),
    Column(
        "agreement_number",
        gettext_lazy("agreement number"),
        parse=text_limit(Award, "agreement_number"),
    ),
    Column(
        "paid_amount",
        gettext_lazy("amount paid (yuan)"),
        parse=parse_paid_amount,
        aliases=("已拨付金额", "拨付金额（元）", "paid (yuan)"),
        wan_aliases=("已拨付金额（万元）", "拨付金额（万元）"),
        # Annotated by the listing's export and by `AwardImporter.existing`.
        export="paid_sum",
    ),
    Column(
        "paid_on",
        gettext_lazy("paid on"),
        parse=parse_date,
        aliases=("拨付时间",),
        export="last_paid_on",
    ),
    Column(
        "status", gettext_lazy("Status"), export="get_status_display", read_only=True
    ),
    Column("agreement_signed_on", gettext_lazy("Agreement signed on"), read_only=True),
    Column("terminated_on", gettext_lazy("Terminated on"), read_only=True),
    Column("termination_reason", gettext_lazy("Termination reason"), read_only=True),
    Column(
        "paid_at_termination",
        gettext_lazy("Paid at termination (yuan)"),
        read_only=True,
    ),
]


@register
class AwardImporter(BaseImporter):
    """Past awards, one per row (`past_award_record`). The natural key is (fund
    name, year, project name, credit code; `natural_key` names the project
    first). A row matching a stored award updates
    it after the preview's confirmation (`past_award_update`) — only an award
    recorded by import: one made through a call on the platform is refused when
    the row would change it. Two rows with the same key are refused. Records are
    dicts of the parsed cells with the `organization`; an empty call cell is the
    fund year's call for past awards (`past_call_name`)."""

    kind = "awards"
    label = gettext_lazy("Import past awards")
    columns = AWARD_COLUMNS
    permissions_required = (
        "funding.add_fund",
        "funding.add_call",
        "funding.add_application",
        "funding.change_award",
    )
    model = Award
    index_url_name = "wagtailsnippets_funding_award:list"
    # The project name first: a refused key is reported in its column.
    natural_key = ("title", "fund", "year", "uscc")
    exists_message = gettext_lazy(
        "This award (fund, year, project name, credit code) is already recorded."
    )
    duplicate_message = gettext_lazy(
        "The same award (fund, year, project name, credit code) is already in row "
        "%(row)s of this file."
    )

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.this_year = timezone.localdate().year

    def validate_row(self, row):
        values, error = row.values, row.error
        organization = self.organizations.find(row)
        year = values.get("year")
        if year is not None and not FIRST_YEAR <= year <= self.this_year:
            error(
                "year",
                _("%(year)s is not a year between %(first)s and %(last)s.")
                % {"year": year, "first": FIRST_YEAR, "last": self.this_year},
            )
        for field, message in past_award_refusals(
            amount=values.get("amount"),
            awarded_on=values.get("awarded_on"),
            paid_amount=values.get("paid_amount"),
            paid_on=values.get("paid_on"),
        ).items():
            if field in row.labels and not _has_error(row, field):
                error(field, message)
        if not values.get("call") and values.get("fund") and year is not None:
            values["call"] = past_call_name(values["fund"], year)
        return {**values, "organization": organization}

    def row_key(self, values):
        """(project name, fund name, year, credit code in capitals)."""
        key = super().row_key(values)
        if key is None:
            return None
        title, fund, year, uscc = key
        return (title, fund, year, (uscc or "").strip().upper())

    def existing(self, keys):
        """The stored awards of these keys, with what was paid of each
        (`paid_sum`, 元, as the listing's export has it); one query."""
        stored = (
            Award.objects.filter(
                application__title__in={key[0] for key in keys},
                application__organization__uscc__in={key[3] for key in keys},
            )
            .select_related("application__organization", "application__call__fund")
            .annotate(
                paid_sum=Coalesce(
                    Sum(
                        "tranches__disbursements__amount",
                        filter=Q(
                            tranches__disbursements__status=DisbursementStatus.PAID
                        ),
                    ),
                    Decimal("0"),
                    output_field=money_output_field(),
                )
            )
            .order_by("pk")
        )
        found = {}
        for award in stored:
            application = award.application
            key = (
                application.title,
                application.call.fund.name,
                application.call.fund.year,
                application.organization.uscc,
            )
            if key in keys:
                found.setdefault(key, award)
        return found

    def plan(self, result, update=True):
        """The core's plan, then: a new award needs its date; the notices list the
        funds and calls the new awards create."""
        plan = super().plan(result, update)
        labels = self._labels()
        for planned in plan.new:
            if planned.record.get("awarded_on") is None:
                result.errors.append(
                    RowError(
                        planned.number,
                        labels["awarded_on"],
                        _("A new award needs the date it was made."),
                    )
                )
        if not result.errors:
            plan.notices = [*plan.notices, *_notices([p.record for p in plan.new])]
        return plan

    def update_refusals(self, instance, record, changes):
        """A matched award's changes checked against `past_award_update_refusals`;
        and its call is not changed."""
        refusals = {}
        if any(change.column == self._labels()["call"] for change in changes):
            refusals["call"] = _(
                "“%(award)s” is recorded in the call “%(call)s”: an import does "
                "not move it to another call."
            ) % {"award": instance, "call": instance.application.call}
        refusals.update(past_award_update_refusals(instance, self._updates(record)))
        return refusals

    def _updates(self, record):
        """The record's values of the columns the file has, over
        `PAST_AWARD_FIELDS`, empty cells as None."""
        return {
            field: record.get(field) or None
            for field in PAST_AWARD_FIELDS
            if field in self.present
        }

    def apply(self, instance, record):
        """Write the row's changes through `past_award_update`, the history naming
        the importing user."""
        past_award_update(
            instance,
            changes=self._updates(record),
            user=getattr(instance, "_history_user", None),
        )

    def write(self, records, user):
        """Create the missing funds and calls, then record each award with its
        payment; returns how many awards. Inside the caller's transaction."""
        calls = {}
        for key, group in _groups(records).items():
            fund_name, year, call_name = group["key"]
            calls[key], _fund_new, _call_new = past_call_get_or_create(
                fund_name=fund_name,
                year=year,
                call_name=call_name,
                fund_budget=group["fund_total"],
                call_budget=group["total"],
                first_awarded_on=group["first"],
                user=user,
            )
        for record in records:
            past_award_record(
                call=calls[_group_key(record)],
                organization=record["organization"],
                title=record["title"],
                amount=record["amount"],
                awarded_on=record["awarded_on"],
                agreement_number=record.get("agreement_number", ""),
                paid_amount=record.get("paid_amount"),
                paid_on=record.get("paid_on"),
                user=user,
            )
        return len(records)


def _notices(records):
    """The funds and calls writing the new `records` creates, with the budget (元)
    a new one gets: the sum of its awards in the file."""
    notices = []
    funds_told = set()
    for group in _groups(records).values():
        fund_name, year, call_name = group["key"]
        if group["new_fund"] and (fund_name, year) not in funds_told:
            funds_told.add((fund_name, year))
            notices.append(
                _(
                    "Creates the fund “%(fund)s” of %(year)s (source: %(source)s; "
                    "budget %(budget)s yuan, the awards of this file)."
                )
                % {
                    "fund": fund_name,
                    "year": year,
                    "source": fund_source_guess(fund_name).label,
                    "budget": yuan_text(group["fund_total"]),
                }
            )
        if group["new_call"]:
            notices.append(
                _(
                    "Creates the call “%(call)s” of the fund “%(fund)s” %(year)s "
                    "for %(count)s awards (%(total)s yuan), dated %(day)s, its "
                    "first award."
                )
                % {
                    "call": call_name or past_call_name(fund_name, year),
                    "fund": fund_name,
                    "year": year,
                    "count": group["count"],
                    "total": yuan_text(group["total"]),
                    "day": group["first"],
                }
            )
    return notices


def _has_error(row, key):
    label = row.labels[key]
    return any(e.column == label for e in row.errors)


def _group_key(record):
    return (record["fund"], record["year"], record.get("call", ""))


def _groups(records):
    """The records by (fund, year, call): how many, their total (元), the first
    award date, the fund's total over all its calls, and whether the fund or the
    call is new."""
    funds = {(f.name, f.year): f for f in Fund.objects.all()}
    fund_totals = {}
    groups = {}
    for record in records:
        key = _group_key(record)
        fund_key = key[:2]
        fund_totals[fund_key] = fund_totals.get(fund_key, 0) + record["amount"]
        group = groups.setdefault(
            key, {"key": key, "count": 0, "total": 0, "first": datetime.date.max}
        )
        group["count"] += 1
        group["total"] += record["amount"]
        group["first"] = min(group["first"], record["awarded_on"])
    for key, group in groups.items():
        fund = funds.get(key[:2])
        group["fund_total"] = fund_totals[key[:2]]
        group["new_fund"] = fund is None
        call_name = key[2] or past_call_name(*key[:2])
        group["new_call"] = (
            fund is None or not Call.objects.filter(fund=fund, name=call_name).exists()
        )
    return groups
