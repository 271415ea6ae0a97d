"""Roll-ups of outcome figures by county, organization, alliance, fund and year.

Computed at request time from the reports (never stored totals that could drift):
the database sums lines per project and indicator; pandas combines the per-project
figures into a dimension, following each indicator's rule:

- summed indicators: sum of the period values;
- cumulative indicators: per project the value of its latest period (never the sum of
  running totals), then summed over projects;
- ratios: numerators and denominators are summed and divided at the end (never the
  mean of percentages).

Only approved reports count (`official`); the others are rolled up the same way as
`pending`. A project funded from several funds appears under each fund, but the total
row is worked out over projects, so it is counted once.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Count, DecimalField, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.db import statistics_reads
from core.models import Region
from core.spreadsheets import frame_to_xlsx
from incubator.models import Organization
from projects.choices import Aggregation, ReportStatus
from projects.models import (
    Alliance,
    FundingLink,
    Indicator,
    OutcomeLine,
    OutcomeReport,
    Project,
)

DIMENSIONS = {
    "county": pgettext_lazy("roll-up by", "County"),
    "organization": pgettext_lazy("roll-up by", "Organization"),
    "alliance": pgettext_lazy("roll-up by", "Alliance"),
    "fund": pgettext_lazy("roll-up by", "Fund"),
    "year": pgettext_lazy("roll-up by", "Year"),
}
_PROJECT_KEY = {
    "county": "pairing__county_id",
    "organization": "pairing__organization_id",
    "alliance": "pairing__alliance_id",
}
NO_FUND = "__none__"
NO_KEY = "__none__"  # e.g. a pairing in no alliance
TARGET = "__target"  # suffix of the target column of an indicator


@dataclass
class Rollup:
    dimension: str
    indicators: list
    rows: pd.DataFrame  # key, label, projects, money, then one column per indicator
    total: dict = field(default_factory=dict)

    def columns(self):
        """(column, heading) pairs in display order."""
        heads = [
            ("label", str(DIMENSIONS[self.dimension])),
            ("projects", _("Projects")),
            (
                "money",
                _("Funding (yuan)") if self.dimension == "fund" else _("Budget (yuan)"),
            ),
        ]
        for indicator in self.indicators:
            heads.append((indicator.code, str(indicator)))
            if self.has_target(indicator):
                heads.append(
                    (
                        indicator.code + TARGET,
                        _("%(indicator)s target") % {"indicator": indicator},
                    )
                )
        return heads

    def has_target(self, indicator):
        """Target columns are shown only for indicators that have targets."""
        column = indicator.code + TARGET
        if self.total.get(column) is not None:
            return True
        return column in self.rows and self.rows[column].notna().any()

    def series(self, indicator):
        """Labels, actuals and targets of one indicator, for a chart."""
        rows = self.rows.to_dict("records")
        return {
            "labels": [str(r["label"]) for r in rows],
            "values": [float(r[indicator.code] or 0) for r in rows],
            "targets": [float(r[indicator.code + TARGET] or 0) for r in rows]
            if self.has_target(indicator)
            else None,
        }

    def values(self):
        """Rows as lists of values in column order."""
        keys = [c for c, _h in self.columns()]
        return [[row.get(k) for k in keys] for row in self.rows.to_dict("records")]

    def table(self):
        """Rows for display: numbers with thousands separators, no trailing zeros."""
        return [[_display(v) for v in row] for row in self.values()]

    def total_row(self):
        return [_display(self.total.get(c)) for c, _h in self.columns()]

    def to_excel(self):
        headings = [h for _c, h in self.columns()]
        total = [self.total.get(c) for c, _h in self.columns()]
        frame = pd.DataFrame(self.values() + [total], columns=headings)
        return frame_to_xlsx(frame, sheet_name=DIMENSIONS[self.dimension])


def _display(value):
    if isinstance(value, Decimal):
        return format(
            value.normalize() if value == value.to_integral() else value, ",f"
        )
    return value


def _scoped_reports(user=None, year=None, official=True, projects=None):
    reports = OutcomeReport.objects.all()
    if user is not None:
        reports = reports.for_user(user)
    if projects is not None:
        reports = reports.filter(project__in=projects)
    if year:
        reports = reports.filter(year=year)
    if official:
        return reports.filter(status=ReportStatus.APPROVED)
    return reports.exclude(status=ReportStatus.APPROVED)


FIGURES = ("value", "numerator", "denominator", "target", "target_part", "target_base")


def project_figures(reports, by_year=False, indicators=None):
    """One row per project × indicator (× year) with the actual (`value`, or
    `numerator` and `denominator` for ratios) and the target (`target`; for ratios
    `target_part` = Σ target% × denominator over `target_base` = Σ denominator).

    The database does the work: sums, and for cumulative indicators the value of
    the latest period in which it is known (a window function), so only one row
    per project × indicator comes back, never every line. `indicators` limits the
    figures to those indicators."""
    lines = OutcomeLine.objects.filter(report__in=reports)
    if indicators is not None:
        lines = lines.filter(indicator__in=indicators)
    keys = ["report__project_id", "indicator_id"] + (
        ["report__year"] if by_year else []
    )
    with_target = Q(target__isnull=False)
    summed = pd.DataFrame(
        list(
            lines.filter(
                indicator__aggregation__in=[Aggregation.SUM, Aggregation.RATIO]
            )
            .filter(Q(actual__isnull=False) | Q(numerator__isnull=False) | with_target)
            .values(*keys)
            .annotate(
                sum_value=Sum("actual"),
                sum_numerator=Sum("numerator"),
                sum_denominator=Sum("denominator"),
                sum_target=Sum("target"),
                sum_target_part=Sum(
                    F("target") * F("denominator"),
                    filter=with_target,
                    output_field=DecimalField(max_digits=32, decimal_places=4),
                ),
                sum_target_base=Sum("denominator", filter=with_target),
            )
            .order_by()
        )
    ).rename(columns=lambda c: c.removeprefix("sum_"))
    cumulative = lines.filter(indicator__aggregation=Aggregation.CUMULATIVE)
    frames = [summed]
    parts = [
        _latest_known(cumulative, keys, column).rename(columns={column: name})
        for column, name in (("actual", "value"), ("target", "target"))
    ]
    if not (parts[0].empty and parts[1].empty):
        frames.append(parts[0].merge(parts[1], on=keys, how="outer"))
    frames = [f for f in frames if not f.empty]
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*keys, *FIGURES])
    )
    frame = frame.rename(
        columns={
            "report__project_id": "project",
            "indicator_id": "indicator",
            "report__year": "year",
        }
    )
    for column in FIGURES:
        if column not in frame:
            frame[column] = None
        frame[column] = frame[column].astype(object).map(_decimal)
    return frame


def _latest_known(lines, keys, column):
    """Per `keys`, the `column` of the line of the latest period where it is known."""
    latest = (
        lines.filter(**{f"{column}__isnull": False})
        .annotate(
            latest_rank=Window(
                RowNumber(),
                partition_by=[F(k) for k in keys],
                order_by=[F("report__end_date").desc(), F("pk").desc()],
            )
        )
        .filter(latest_rank=1)
        .values(*keys, column)
        .order_by()
    )
    return pd.DataFrame(list(latest), columns=[*keys, column])


def _decimal(value):
    if value is None or value != value:  # None or NaN
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _total(values):
    known = [v for v in values if v is not None]
    return sum(known, Decimal("0")) if known else None


def _percent(part, base):
    if part is None or not base:
        return None
    return (part * 100 / base).quantize(Decimal("0.01"))


def _combine(frame, group_keys, indicators):
    """Combine per-project figures within each group, by each indicator's rule:
    {group: {code: actual, code + TARGET: target}}."""
    out = {}
    if frame.empty:
        return out
    rules = {i.pk: i for i in indicators}
    for keys, part in frame.groupby(group_keys, dropna=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        *group, indicator_id = keys
        indicator = rules.get(indicator_id)
        if indicator is None:
            continue
        if indicator.aggregation == Aggregation.RATIO:
            value = _percent(_total(part["numerator"]), _total(part["denominator"]))
            part_sum = _total(part["target_part"])
            target = (
                (part_sum / _total(part["target_base"])).quantize(Decimal("0.01"))
                if part_sum is not None and _total(part["target_base"])
                else None
            )
        else:
            value = _total(part["value"])
            target = _total(part["target"])
        figures = out.setdefault(tuple(group), {})
        figures[indicator.code] = value
        figures[indicator.code + TARGET] = target
    return out


def _project_keys(dimension, projects):
    """project id → list of dimension keys (a project may have several funds)."""
    if dimension == "fund":
        mapping = {pid: [] for pid in projects.values_list("pk", flat=True)}
        links = (
            FundingLink.objects.filter(project__in=projects.values("pk"))
            .values_list("project_id", "fund_name")
            .distinct()
        )
        for pid, fund in links:
            if fund not in mapping[pid]:
                mapping[pid].append(fund)
        return {pid: keys or [NO_FUND] for pid, keys in mapping.items()}
    rows = projects.values_list("pk", _PROJECT_KEY[dimension])
    return {pid: [NO_KEY if key is None else key] for pid, key in rows}


def _across_years(frame, indicators):
    """Per-project figures over every year, from the per-year ones: sums and ratio
    parts add up; a cumulative indicator keeps its latest known value and target
    (the latest year's, which is the latest period's). Saves reading the lines a
    second time for the total of the roll-up by year."""
    columns = ["project", "indicator", *FIGURES]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    cumulative = {i.pk for i in indicators if i.aggregation == Aggregation.CUMULATIVE}
    latest_only = [FIGURES.index("value"), FIGURES.index("target")]
    ordered = frame.sort_values("year", kind="stable")
    combined = {}
    # Plain lists, not DataFrame rows: this loop sees every project × indicator × year.
    for project, indicator, *values in zip(
        *(ordered[c].tolist() for c in columns), strict=True
    ):
        figures = combined.get((project, indicator))
        if figures is None:
            combined[(project, indicator)] = [project, indicator, *values]
        elif indicator in cumulative:
            for i in latest_only:
                if values[i] is not None:
                    figures[2 + i] = values[i]
        else:
            for i, value in enumerate(values):
                if value is not None:
                    known = figures[2 + i]
                    figures[2 + i] = value if known is None else known + value
    return pd.DataFrame(list(combined.values()), columns=columns)


def _labels(dimension, keys):
    if dimension == "county":
        regions = Region.objects.filter(pk__in=keys).select_related("parent__parent")
        return {r.pk: r.full_name for r in regions}
    if dimension == "organization":
        return dict(Organization.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "alliance":
        labels = dict(Alliance.objects.filter(pk__in=keys).values_list("pk", "name"))
        labels[NO_KEY] = _("Not in an alliance")
        return labels
    if dimension == "fund":
        return {
            k: (_("No funding source recorded") if k == NO_FUND else k) for k in keys
        }
    return {k: str(k) for k in keys}


def _counts(dimension, projects, reports):
    """Projects and money per key: counted by the database."""
    if dimension == "fund":
        rows = (
            FundingLink.objects.filter(project__in=projects)
            .values("fund_name")
            .annotate(projects=Count("project", distinct=True), money=Sum("amount"))
            .order_by()
        )
        counts = {r["fund_name"]: (r["projects"], r["money"]) for r in rows}
        unfunded = projects.filter(funding_links__isnull=True).aggregate(
            n=Count("pk", distinct=True), money=Sum("budget")
        )
        if unfunded["n"]:
            counts[NO_FUND] = (unfunded["n"], Decimal("0"))
        return counts
    if dimension == "year":
        rows = (
            reports.values("year")
            .annotate(projects=Count("project", distinct=True))
            .order_by()
        )
        return {r["year"]: (r["projects"], None) for r in rows}
    key = _PROJECT_KEY[dimension]
    rows = (
        projects.values(key)
        .annotate(projects=Count("pk", distinct=True), money=Sum("budget"))
        .order_by()
    )
    return {
        NO_KEY if r[key] is None else r[key]: (r["projects"], r["money"]) for r in rows
    }


@statistics_reads()
def rollup(dimension, *, user=None, year=None, official=True, indicators=None):
    """The figures of every key of `dimension` (and a total) as a `Rollup`."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    indicators = list(indicators or Indicator.objects.filter(is_active=True))
    projects = Project.objects.all()
    if user is not None:
        projects = projects.filter(pairing__in=_pairings_for(user))
    reports = _scoped_reports(user, year, official, projects)
    if year:
        projects = projects.filter(reports__year=year).distinct()
        projects = Project.objects.filter(pk__in=projects.values("pk"))

    by_year = dimension == "year"
    figures = project_figures(reports, by_year=by_year, indicators=indicators)
    # The total is worked out over projects: the same per-project figures (once).
    overall = _across_years(figures, indicators) if by_year else figures.copy()
    if by_year:
        figures["key"] = figures["year"] if not figures.empty else None
        keyed = figures
    else:
        keys = _project_keys(dimension, projects)
        figures["key"] = figures["project"].map(lambda p: keys.get(p, [None]))
        keyed = figures.explode("key") if not figures.empty else figures

    combined = _combine(keyed, ["key", "indicator"], indicators)
    counts = _counts(dimension, projects, reports)
    all_keys = list(dict.fromkeys([*counts, *(k[0] for k in combined)]))
    labels = _labels(dimension, [k for k in all_keys if k != NO_KEY])
    rows = []
    for key in all_keys:
        n, money = counts.get(key, (0, None))
        row = {
            "key": key,
            "label": labels.get(key, str(key)),
            "projects": n,
            "money": money,
        }
        row.update(combined.get((key,), {}))
        rows.append(row)
    frame = pd.DataFrame(
        rows,
        columns=["key", "label", "projects", "money"]
        + [code for i in indicators for code in (i.code, i.code + TARGET)],
    )
    if not frame.empty:
        frame = frame.sort_values("label", key=lambda s: s.astype(str)).reset_index(
            drop=True
        )
        frame = frame.astype(object).where(frame.notna(), None)

    # The total is worked out over projects, never by adding the rows up.
    overall["key"] = "total"
    total = {"label": _("Total")}
    total.update(
        _combine(overall, ["key", "indicator"], indicators).get(("total",), {})
    )
    total["projects"] = (
        reports.values("project").distinct().count() if by_year else projects.count()
    )
    if dimension == "fund":
        total["money"] = FundingLink.objects.filter(project__in=projects).aggregate(
            s=Sum("amount")
        )["s"]
    elif not by_year:
        total["money"] = projects.aggregate(s=Sum("budget"))["s"]
    return Rollup(dimension=dimension, indicators=indicators, rows=frame, total=total)


def _pairings_for(user):
    from projects.models import Pairing

    return Pairing.objects.for_user(user)


@statistics_reads()
def headline(user=None):
    """The counts the reports quote: organizations paired with how many (key)
    counties, projects and their budgets, alliances, cross-province pairings."""
    from projects.models import Pairing

    pairings = Pairing.objects.all() if user is None else Pairing.objects.for_user(user)
    projects = Project.objects.filter(pairing__in=pairings)
    return {
        "pairings": pairings.count(),
        "organizations": pairings.values("organization").distinct().count(),
        "counties": pairings.values("county").distinct().count(),
        "key_counties": pairings.filter(county__is_key_county=True)
        .values("county")
        .distinct()
        .count(),
        "projects": projects.count(),
        "budget": projects.aggregate(s=Sum("budget"))["s"] or Decimal("0"),
        "alliances": pairings.exclude(alliance=None)
        .values("alliance")
        .distinct()
        .count(),
        "cross_province": pairings.cross_province().count(),
    }
