"""Roll-ups of outcome figures by county, organization, alliance, fund and year.

Read from the stored totals (`projects.models.OutcomeTotal`: one row per project ×
indicator × period year × official/pending), which `projects.services.rollup_totals`
rewrites in the transaction of every write that changes them, and `verify_rollups`
checks against the lines: a roll-up costs what its answer costs, not what the lines
number. The database groups the totals by the dimension and sums them; pandas only
combines the few rows that come back. Each indicator follows its rule:

- summed indicators: sum of the period values;
- cumulative indicators: per project the value of its latest period (never the sum of
  running totals), then summed over projects;
- ratios: numerators and denominators are summed and divided at the end (never the
  mean of percentages).

Indicators of one group marked `in_group_total` (the four cabin types) also get a
group total: the sum of their combined figures (cabins built 间 = 宝贝 + 阅读 + 直播 +
医生小屋), a column of every roll-up and its export, and a line of the public figures.

Only approved reports count (`official`); the others are rolled up the same way as
`pending`. A project funded from several funds appears under each fund, but the total
row is worked out over projects, so it is counted once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Sum,
)
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.db import statistics_reads
from core.models import Region
from core.money import CENT
from core.numbers import count_display, year_param
from core.spreadsheets import frame_to_xlsx
from incubator.models import Organization
from projects.choices import Aggregation, ReportStatus, TotalBucket
from projects.models import (
    Alliance,
    FundingLink,
    Indicator,
    OutcomeLine,
    OutcomeReport,
    OutcomeRollupTotal,
    OutcomeTotal,
    Pairing,
    Project,
    RollupProjectCount,
)
from projects.permissions import pairings_visible_to, user_sees_all_pairings
from projects.selectors.rollup_totals import year_key

# The years a report may have (`OutcomeReport.clean`): a roll-up of another year
# is of nothing.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Rows of one page of a roll-up by organization (tens of thousands of keys
# nationally); the total row and the Excel export cover all of them.
ROWS_PER_PAGE = 100  # by organization and by alliance


def year_chosen(value):
    """The year a user chose for a roll-up (`?year=2023`, a string or None) as an
    int, when it is a year a report may have (FIRST_YEAR–LAST_YEAR); None (every
    year) for anything else (`core.numbers.year_param`)."""
    return year_param(value, first=FIRST_YEAR, last=LAST_YEAR)


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
NO_KEY = "__none__"  # e.g. a pairing in no alliance, a project with no fund
TARGET = "__target"  # suffix of the target column of an indicator


@dataclass(frozen=True)
class GroupTotal:
    """The total of one indicator group (four cabin types → cabins built): the sum of the combined
    figures of its indicators marked `in_group_total`, which share one `unit`
    (`projects.models.indicators.indicator_check_group_total`)."""

    group: str
    unit: str
    codes: tuple

    @property
    def code(self):
        """The column of the total in a roll-up (never an indicator's slug code)."""
        return f"group_total:{self.group}"

    def __str__(self):
        return _("%(group)s total") % {"group": self.group} + f"（{self.unit}）"

    def value(self, figures):
        """The total of `figures` ({code: Decimal or None}); None when none of the
        group's indicators has a figure."""
        known = [figures[c] for c in self.codes if figures.get(c) is not None]
        return sum(known, Decimal("0")) if known else None


def group_totals(indicators):
    """The `GroupTotal`s of `indicators`, in the order their groups first appear:
    one per group with at least one indicator marked `in_group_total`."""
    groups = {}
    for indicator in indicators:
        if indicator.in_group_total and indicator.group:
            groups.setdefault((indicator.group, indicator.unit), []).append(
                indicator.code
            )
    return [GroupTotal(g, unit, tuple(codes)) for (g, unit), codes in groups.items()]


def with_group_totals(figures, groups):
    """`figures` ({code: value}) with the value of each of `groups` added."""
    return {**figures, **{g.code: g.value(figures) for g in groups}}


@dataclass
class Rollup:
    dimension: str
    indicators: list
    rows: pd.DataFrame  # key, label, projects, money, one column per indicator, group
    total: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)  # GroupTotal, each a column
    page: object = None  # a django Page of (key, label) when the rows are paged

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
        # a group's total follows the last indicator of its group
        last = {g.codes[-1]: g for g in self.groups}
        for indicator in self.indicators:
            heads.append((indicator.code, str(indicator)))
            if self.has_target(indicator):
                heads.append(
                    (
                        indicator.code + TARGET,
                        _("%(indicator)s target") % {"indicator": indicator},
                    )
                )
            if indicator.code in last:
                group = last[indicator.code]
                heads.append((group.code, str(group)))
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
        return [[figure_text(v) for v in row] for row in self.values()]

    def total_row(self):
        return [figure_text(self.total.get(c)) for c, _h in self.columns()]

    def to_excel(self):
        headings = [h for _c, h in self.columns()]
        total = [self.total.get(c) for c, _h in self.columns()]
        frame = pd.DataFrame(self.values() + [total], columns=headings)
        return frame_to_xlsx(frame, sheet_name=DIMENSIONS[self.dimension])


def figure_text(value):
    """A figure as the screen shows it (`core.numbers.count_display`): thousands
    separated by commas; a whole number without decimals ("1,250,000"), any other
    with at least two decimals, as money is written ("980,000.50", not
    "980,000.5"; a ratio "0.125" keeps its third decimal). Other values as they
    are."""
    if isinstance(value, Decimal):
        return count_display(value)
    return value


@dataclass(frozen=True)
class Scope:
    """Which reports count: the approved ones (`official`) or the others, of the
    `projects` given (a queryset; all when None), of one `year` (all when None)."""

    official: bool = True
    projects: object = None
    year: int | None = None

    def reports(self):
        approved = Q(status=ReportStatus.APPROVED)
        reports = OutcomeReport.objects.filter(approved if self.official else ~approved)
        if self.projects is not None:
            reports = reports.filter(project__in=self.projects)
        if self.year:
            reports = reports.filter(year=self.year)
        return reports

    def lines(self):
        return OutcomeLine.objects.filter(report__in=self.reports())

    def totals(self):
        """The stored totals (`OutcomeTotal`) of the same reports."""
        bucket = TotalBucket.OFFICIAL if self.official else TotalBucket.PENDING
        totals = OutcomeTotal.objects.filter(bucket=bucket)
        if self.projects is not None:
            totals = totals.filter(project__in=self.projects)
        if self.year:
            totals = totals.filter(year=self.year)
        return totals


FIGURES = ("value", "numerator", "denominator", "target", "target_part", "target_base")
TOTAL = "total"  # the key of the one group when figures are not grouped


# What a roll-up's rows are keyed by: a lookup from `OutcomeTotal` with one value
# per stored total. Totals where it is empty form the row `NO_KEY` (a pairing in no
# alliance).
_TOTAL_KEYS = {
    **{dimension: f"project__{key}" for dimension, key in _PROJECT_KEY.items()},
    "year": "year",
}
_PROJECT = "project_id"
_LINK = "project__funding_links"


def grouped_figures(scope, by=None, indicators=None):
    """One row per group × indicator: the actual (`value`, or `numerator` and
    `denominator` for ratios) and the target (`target`; for ratios `target_part` =
    Σ target% × denominator over `target_base` = Σ denominator), in a `key` column
    and an `indicator` column. The groups are the values of `by`, a lookup from
    `OutcomeTotal` with one value per stored total (`project_id`, `year`,
    `project__pairing__county_id` …), or one group `TOTAL`.

    The database does the work, on the stored totals (`projects.models.OutcomeTotal`,
    one row per project × indicator × year × bucket), never on the lines. Summed and
    ratio indicators add up their sums per group. Cumulative indicators add up, per
    group, each project's value of the latest period in which it is known: of the
    year when the scope has one or the rows are years, of the latest year
    otherwise (the rows marked `value_is_latest` / `target_is_latest`). Nothing
    comes back per project unless `by` is the project. `indicators` limits the
    figures to those."""
    totals = scope.totals()
    summed, cumulative = _by_rule(indicators)
    latest_only = not scope.year and by != "year"
    return _frame(
        [
            _summed(totals, by, summed),
            _latest(totals, by, cumulative, latest_only=latest_only),
        ]
    )


def project_figures(scope, indicators=None):
    """`grouped_figures` per project: a `project` column instead of `key`."""
    frame = grouped_figures(scope, _PROJECT, indicators).drop(columns="project")
    return frame.rename(columns={"key": "project"})


def _by_rule(indicators=None):
    """The ids of the summed and ratio indicators, and those of the cumulative ones
    (of all indicators when None)."""
    if indicators is None:
        indicators = Indicator.objects.all()
    summed, cumulative = [], []
    for indicator in indicators:
        if indicator.aggregation == Aggregation.CUMULATIVE:
            cumulative.append(indicator.pk)
        else:
            summed.append(indicator.pk)
    return summed, cumulative


def _summed(totals, by, indicator_ids):
    """Summed and ratio indicators, their stored sums added up per value of `by`
    (or in all). Totals of lines without any figure are left out."""
    group = [by] if by else []
    rows = list(
        totals.filter(indicator_id__in=indicator_ids, known_count__gt=0)
        .values(*group, "indicator_id")
        .annotate(
            sum_value=Sum("value_sum"),
            sum_numerator=Sum("numerator_sum"),
            sum_denominator=Sum("denominator_sum"),
            sum_target=Sum("target_sum"),
            sum_target_part=Sum("target_part"),
            sum_target_base=Sum("target_base"),
        )
        .values_list(*group, "indicator_id", *(f"sum_{f}" for f in FIGURES))
        .order_by()
    )
    if not group:
        rows = [(TOTAL, *row) for row in rows]
    return pd.DataFrame(rows, columns=["key", "indicator", *FIGURES])


def _latest(totals, by, indicator_ids, *, latest_only):
    """Cumulative indicators: per value of `by` (or in all), the sum over projects
    of the actual and the target of the latest period in which each is known —
    within each stored year, or with `latest_only` of the project's latest year
    that knows one."""
    if latest_only:
        has_value, has_target = Q(value_is_latest=True), Q(target_is_latest=True)
    else:
        has_value = Q(value_latest__isnull=False)
        has_target = Q(target_latest__isnull=False)
    group = [by] if by else []
    rows = list(
        totals.filter(indicator_id__in=indicator_ids)
        .filter(has_value | has_target)
        .values(*group, "indicator_id")
        .annotate(
            latest_value=Sum("value_latest", filter=has_value),
            latest_target=Sum("target_latest", filter=has_target),
        )
        .values_list(*group, "indicator_id", "latest_value", "latest_target")
        .order_by()
    )
    if not group:
        rows = [(TOTAL, *row) for row in rows]
    return pd.DataFrame(rows, columns=["key", "indicator", "value", "target"])


def _frame(parts):
    """The parts as one frame of `key`, `project`, `indicator` and `FIGURES`, with
    `NO_KEY` for an empty key and Decimals (or None) for figures."""
    columns = ["key", "project", "indicator", *FIGURES]
    parts = [p for p in parts if not p.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame = frame.reindex(columns=columns).astype(object)
    frame["key"] = frame["key"].where(frame["key"].notna(), NO_KEY)
    frame["project"] = frame["project"].where(frame["project"].notna(), None)
    for column in FIGURES:
        frame[column] = frame[column].map(_decimal)
    return frame


def _fund_figures(scope, indicators):
    """The figures per fund, and those of the total. A project funded from several
    funds counts in each of their rows, and once in the total; a project with no
    funding recorded counts in the row `NO_KEY`."""
    totals = scope.totals()
    summed, cumulative = _by_rule(indicators)
    latest_only = not scope.year
    by_fund = totals
    twice = (
        FundingLink.objects.values("project_id", "fund_name")
        .annotate(links=Count("pk"))
        .filter(links__gt=1)
    )
    if twice.exists():
        # Some project has two links to one fund: only the first may join, so that
        # the project's figures count once in that fund's row. (Checked first: the
        # check is cheap, the condition is not.)
        earlier_link = FundingLink.objects.filter(
            project=OuterRef("project"),
            fund_name=OuterRef(f"{_LINK}__fund_name"),
            pk__lt=OuterRef(f"{_LINK}__pk"),
        )
        by_fund = totals.filter(~Exists(earlier_link))
    fund = f"{_LINK}__fund_name"
    rows = _frame(
        [
            _summed(by_fund, fund, summed),
            _latest(by_fund, fund, cumulative, latest_only=latest_only),
        ]
    )
    total = _frame(
        [
            _summed(totals, None, summed),
            _latest(totals, None, cumulative, latest_only=latest_only),
        ]
    )
    return rows, total


# The dimension of `OutcomeRollupTotal` each roll-up reads: the years and the
# total from the counties (every project is in exactly one county).
_STORED_DIMENSION = {
    "county": "county",
    "organization": "organization",
    "alliance": "alliance",
    "fund": "fund",
    "year": "county",
}


def stored_figures(
    dimension, *, official=True, year=None, by_key=True, indicators=None, keys=None
):
    """`grouped_figures` of every project, read from the per-dimension totals
    (`OutcomeRollupTotal`): one row per key of `dimension` (county / organization
    / alliance id, fund name, `NO_KEY`; the year for "year") × indicator, or with
    `by_key` False one row per indicator of key `TOTAL`, in the frame of
    `_frame` (figures Decimal or None, in the indicator's unit). Reads rows per
    key × indicator × year × bucket — never per project. Cumulative indicators take
    the sum of each project's latest figure of the year (a year chosen, or rows by
    year) or of its latest year (`value_final` / `target_final`). `keys` (a list)
    limits the rows to those keys."""
    summed, cumulative = _by_rule(indicators)
    stored = _STORED_DIMENSION[dimension] if by_key else "county"
    bucket = TotalBucket.OFFICIAL if official else TotalBucket.PENDING
    rows = OutcomeRollupTotal.objects.filter(dimension=stored, bucket=bucket)
    if year:
        rows = rows.filter(year=year)
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    group = (["year"] if dimension == "year" else ["key"]) if by_key else []
    latest_only = not year and not (by_key and dimension == "year")
    value, target = (
        ("value_final", "target_final")
        if latest_only
        else (
            "value_latest",
            "target_latest",
        )
    )
    sums = {
        "known": Sum("known_count"),
        **{
            f"{f}{suffix}": Sum(f"{f}{suffix}")
            for f in (
                "value_sum",
                "numerator_sum",
                "denominator_sum",
                "target_sum",
                "target_part",
                "target_base",
                value,
                target,
            )
            for suffix in ("", "_count")
        },
    }
    found = (
        rows.filter(indicator_id__in=summed + cumulative)
        .values(*group, "indicator_id")
        .annotate(**sums)
        .order_by()
    )

    def known(row, name):
        return row[name] if row[f"{name}_count"] else None

    out = []
    cumulative = set(cumulative)
    for row in found:
        key = row[group[0]] if group else TOTAL
        if dimension in _PROJECT_KEY and by_key:
            key = NO_KEY if key == NO_KEY else int(key)
        if row["indicator_id"] in cumulative:
            figures = (known(row, value), None, None, known(row, target), None, None)
            if figures[0] is None and figures[3] is None:
                continue
        else:
            if not row["known"]:
                continue
            figures = tuple(
                known(row, f)
                for f in (
                    "value_sum",
                    "numerator_sum",
                    "denominator_sum",
                    "target_sum",
                    "target_part",
                    "target_base",
                )
            )
        out.append((key, row["indicator_id"], *figures))
    return _frame([pd.DataFrame(out, columns=["key", "indicator", *FIGURES])])


def _decimal(value):
    if value is None or value != value:  # None or NaN
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _percent(part, base):
    if part is None or not base:
        return None
    return (part * 100 / base).quantize(CENT)


def _combine(frame, group_keys, indicators):
    """Combine the figures within each group, by each indicator's rule:
    {group: {code: actual, code + TARGET: target}}. `group_keys` ends with
    "indicator"."""
    out = {}
    if frame.empty:
        return out
    # Sums of Decimals (object columns); None where a group knows no value.
    sums = frame.groupby(list(group_keys), sort=False, dropna=False)[list(FIGURES)].sum(
        min_count=1
    )
    sums = sums.astype(object).where(sums.notna(), None)
    rules = {
        i.pk: (i.code, i.code + TARGET, i.aggregation == Aggregation.RATIO)
        for i in indicators
    }
    for (*group, indicator_id), figures in zip(
        sums.index.tolist(), sums.itertuples(index=False, name=None), strict=True
    ):
        rule = rules.get(indicator_id)
        if rule is None:
            continue
        code, target_code, is_ratio = rule
        value, numerator, denominator, target, target_part, target_base = figures
        if is_ratio:
            value = _percent(numerator, denominator)
            # target_part sums target% × denominator: over Σ denominator, a percent
            target = (
                (target_part / target_base).quantize(CENT)
                if target_part is not None and target_base
                else None
            )
        row = out.setdefault(tuple(group), {})
        row[code] = value
        row[target_code] = target
    return out


def _total_figures(dimension, figures, scope, indicators):
    """The figures of the total row, worked out over projects (each counted once),
    never by adding the rows up. Every project falls in exactly one row (funds are
    done apart), so the rows' figures are those of the total; by year, a cumulative
    indicator takes each project's latest value over all years instead (one more
    query on the totals)."""
    if dimension != "year":
        return figures.assign(key=TOTAL)
    return grouped_figures(scope, None, indicators)


def _labels(dimension, keys):
    """{key: label} for the keys of the rows (`NO_KEY` among them)."""
    keys = [k for k in keys if k != NO_KEY]
    if dimension == "county":
        regions = Region.objects.filter(pk__in=keys).select_related("parent__parent")
        labels = {r.pk: r.full_name for r in regions}
    elif dimension == "organization":
        labels = dict(
            Organization.objects.filter(pk__in=keys).values_list("pk", "name")
        )
    elif dimension == "alliance":
        labels = dict(Alliance.objects.filter(pk__in=keys).values_list("pk", "name"))
    else:
        labels = {k: str(k) for k in keys}
    labels[NO_KEY] = {
        "alliance": _("Not in an alliance"),
        "fund": _("No funding source recorded"),
    }.get(dimension, "—")
    return labels


def _year_counts(scope, stored):
    """By year: ({year: (projects, None)}, projects of the total) — the projects
    with outcome lines in the reports of `scope` (its bucket; its year when it
    has one) of each period year, and of any. `stored`: `scope` is every
    project, counted in `RollupProjectCount` (`year_key` rows)."""
    bucket = TotalBucket.OFFICIAL if scope.official else TotalBucket.PENDING
    if not stored:
        totals = scope.totals()
        rows = (
            totals.values("year")
            .annotate(projects=Count("project", distinct=True))
            .order_by()
        )
        counts = {r["year"]: (r["projects"], None) for r in rows}
        return counts, totals.values("project").distinct().count()
    wanted = [year_key(scope.year, bucket)]
    if not scope.year:
        wanted = None
    rows = RollupProjectCount.objects.filter(
        dimension="year", key__endswith=f":{bucket}"
    )
    if wanted is not None:
        rows = rows.filter(key__in=wanted)
    counts, total = {}, 0
    for key, projects in rows.values_list("key", "projects"):
        year = key.split(":")[0]
        if year == "all":
            total = projects
        else:
            counts[int(year)] = (projects, None)
    if scope.year:
        total = counts.get(scope.year, (0, None))[0]
    return counts, total


def _counts(dimension, projects):
    """Projects and money per key: counted by the database (a narrower scope than
    every project of every year: `stored_counts` has those)."""
    if dimension == "fund":
        rows = (
            FundingLink.objects.filter(project__in=projects)
            .values("fund_name")
            .annotate(projects=Count("project", distinct=True), money=Sum("amount"))
            .order_by()
        )
        counts = {r["fund_name"]: (r["projects"], r["money"]) for r in rows}
        # an anti-join: no row per link to count DISTINCT over
        linked = FundingLink.objects.filter(project=OuterRef("pk"))
        unfunded = projects.filter(~Exists(linked)).aggregate(
            n=Count("pk"), money=Sum("budget")
        )
        if unfunded["n"]:
            # a fund named like NO_KEY shares the row (as the stored counts)
            linked_n, money = counts.get(NO_KEY, (0, Decimal("0")))
            counts[NO_KEY] = (linked_n + unfunded["n"], money)
        return counts
    key = _PROJECT_KEY[dimension]
    # One row per project (a project has one pairing, and `projects` is never a
    # join that repeats it): counted without DISTINCT, which sorted 200,000
    # projects on every screen.
    rows = (
        projects.values(key)
        .annotate(projects=Count("pk"), money=Sum("budget"))
        .order_by()
    )
    return {
        NO_KEY if r[key] is None else r[key]: (r["projects"], r["money"]) for r in rows
    }


class _CountedPaginator(Paginator):
    """A Paginator told its count: the number of organizations with a project,
    counted over the projects' pairings instead of over the whole registry."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


# The dimensions shown a page of rows at a time (by name): {dimension: (model of
# the keys, the project's lookup of its key)}. A national deployment has a
# million organizations and hundreds of alliances; the total row and the Excel
# export still cover every key.
PAGED_DIMENSIONS = {
    "organization": (Organization, "pairing__organization_id"),
    "alliance": (Alliance, "pairing__alliance_id"),
}
_KEYLESS = {"alliance"}  # the dimensions with a row of projects with no key


def _key_page(dimension, projects, page, per_page, *, stored=False):
    """The django Page `page` (a number, as the query string gives it) of the keys
    of `dimension` (one of `PAGED_DIMENSIONS`) that `projects` have, ordered by
    name: each item (id, name). `stored`: `projects` are all projects, counted per
    key in `RollupProjectCount`. The projects with no key (a pairing in no
    alliance) are not counted here: their row goes on the last page."""
    model, lookup = PAGED_DIMENSIONS[dimension]
    named = (
        model.objects.filter(pk__in=projects.values(lookup))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    # Counted from the stored rows, or over the pairings of the projects — never
    # by testing each of a million registered organizations.
    if stored:
        count = (
            RollupProjectCount.objects.filter(dimension=dimension)
            .exclude(key=NO_KEY)
            .count()
        )
    else:
        count = projects.exclude(**{lookup: None}).values(lookup).distinct().count()
    return _CountedPaginator(named, per_page, count).get_page(page)


def stored_counts(dimension, keys=None):
    """The projects and money of every key of `dimension` (county, organization,
    alliance or fund) over all projects and years, read from `RollupProjectCount`:
    ({key: (projects, money 元)}, total projects, total money 元). Keys as the
    roll-up has them (ids as ints, fund names, `NO_KEY`); `keys` (a list) limits
    the rows to those. The total counts every project once (from the county
    rows); its money is the sum of the budgets, by fund the sum of the links."""
    rows = RollupProjectCount.objects.filter(dimension=dimension)
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    counts = {}
    for key, projects, money in rows.values_list("key", "projects", "money"):
        if dimension in _PROJECT_KEY and key != NO_KEY:
            key = int(key)
        counts[key] = (projects, money)
    total = RollupProjectCount.objects.filter(dimension="county").aggregate(
        projects=Sum("projects"), money=Sum("money")
    )
    money = total["money"]
    if dimension == "fund":
        money = RollupProjectCount.objects.filter(dimension="fund").aggregate(
            s=Sum("money")
        )["s"]
    return counts, total["projects"] or 0, money


@dataclass
class _Keys:
    """What both buckets of one roll-up screen share: the projects in view, the
    page of organizations, the projects and money per key and of the total (by
    year these depend on the bucket's reports: worked out per bucket)."""

    dimension: str
    year: int | None
    sees_all: bool
    projects: object  # of the rows shown (one page by organization)
    all_projects: object
    paged: object = None
    page_keys: list | None = None
    counts: dict | None = None
    total_projects: int | None = None
    total_money: Decimal | None = None


def _keys(dimension, user, year, page, per_page):
    projects = Project.objects.all()
    # every project (no user, a superuser, national staff): the per-dimension rows
    sees_all = user is None or user_sees_all_pairings(user)
    if not sees_all:
        projects = projects.filter(pairing__in=pairings_visible_to(user))
    if year:
        projects = projects.filter(reports__year=year).distinct()
        projects = Project.objects.filter(pk__in=projects.values("pk"))
    keys = _Keys(dimension, year, sees_all, projects, projects)
    # every project of every year: the stored counts per key
    stored = sees_all and not year
    if dimension in PAGED_DIMENSIONS and page is not None:
        keys.paged = _key_page(
            dimension, projects, page, per_page or ROWS_PER_PAGE, stored=stored
        )
        named = [pk for pk, _name in keys.paged.object_list]
        lookup = PAGED_DIMENSIONS[dimension][1]
        shown = Q(**{f"{lookup}__in": named})
        keys.page_keys = named
        if dimension in _KEYLESS and not keys.paged.has_next():
            # the projects with no key (in no alliance): a row of the last page
            keys.page_keys = [*named, NO_KEY]
            shown |= Q(**{lookup: None})
        keys.projects = projects.filter(shown)
    if dimension != "year" and stored:
        keys.counts, keys.total_projects, keys.total_money = stored_counts(
            dimension, keys.page_keys
        )
    elif dimension != "year":
        keys.counts = _counts(dimension, keys.projects)
        keys.total_projects = projects.count()
        if dimension == "fund":
            links = FundingLink.objects.filter(project__in=projects)
            keys.total_money = links.aggregate(s=Sum("amount"))["s"]
        else:
            keys.total_money = projects.aggregate(s=Sum("budget"))["s"]
    return keys


@statistics_reads()
def rollup(
    dimension,
    *,
    user=None,
    year=None,
    official=True,
    indicators=None,
    page=None,
    per_page=None,
):
    """The figures of every key of `dimension` (and a total) as a `Rollup`, of the
    approved reports (`official`) or the others. By organization or alliance
    (`PAGED_DIMENSIONS`) with `page` (a page number; None: every row) only the
    rows of that page of keys ordered by name (`per_page` of them, by default
    `ROWS_PER_PAGE`; `Rollup.page` the django Page; the row of the projects in no
    alliance on the last page), the total still over all. Raises ValueError
    for an unknown dimension."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    indicators = list(indicators or Indicator.objects.filter(is_active=True))
    keys = _keys(dimension, user, year, page, per_page)
    return _rollup(keys, official, indicators)


@statistics_reads()
def rollups(dimension, *, user=None, year=None, indicators=None, page=None):
    """(official, pending): the two `rollup`s of one screen, the projects, money
    and page of organizations they share worked out once."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    indicators = list(indicators or Indicator.objects.filter(is_active=True))
    keys = _keys(dimension, user, year, page, None)
    return _rollup(keys, True, indicators), _rollup(keys, False, indicators)


def _rollup(keys, official, indicators):
    dimension, year = keys.dimension, keys.year
    groups = group_totals(indicators)
    projects = keys.projects
    scope = Scope(official, None if keys.sees_all else keys.all_projects, year)
    if keys.sees_all:
        figures = stored_figures(
            dimension,
            official=official,
            year=year,
            indicators=indicators,
            keys=keys.page_keys,
        )
        overall = stored_figures(
            dimension,
            official=official,
            year=year,
            by_key=False,
            indicators=indicators,
        )
    elif dimension == "fund":
        figures, overall = _fund_figures(scope, indicators)
    elif keys.paged is not None:
        page_scope = Scope(official, projects, year)
        figures = grouped_figures(page_scope, _TOTAL_KEYS[dimension], indicators)
        overall = grouped_figures(scope, None, indicators)
    else:
        figures = grouped_figures(scope, _TOTAL_KEYS[dimension], indicators)
        overall = _total_figures(dimension, figures, scope, indicators)
    combined = _combine(figures, ["key", "indicator"], indicators)
    counts, total_projects = keys.counts, keys.total_projects
    if dimension == "year":
        counts, total_projects = _year_counts(scope, keys.sees_all)
    all_keys = list(dict.fromkeys([*counts, *(k[0] for k in combined)]))
    labels = _labels(dimension, all_keys)
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
        rows.append(with_group_totals(row, groups))
    frame = pd.DataFrame(
        rows,
        columns=["key", "label", "projects", "money"]
        + [code for i in indicators for code in (i.code, i.code + TARGET)]
        + [g.code for g in groups],
    )
    if not frame.empty:
        frame = frame.sort_values("label", key=lambda s: s.astype(str)).reset_index(
            drop=True
        )
        frame = frame.astype(object).where(frame.notna(), None)

    total = {"label": _("Total")}
    total.update(_combine(overall, ["key", "indicator"], indicators).get((TOTAL,), {}))
    total["projects"] = total_projects
    if dimension != "year":
        total["money"] = keys.total_money
    total = with_group_totals(total, groups)
    return Rollup(
        dimension=dimension,
        indicators=indicators,
        rows=frame,
        total=total,
        groups=groups,
        page=keys.paged,
    )


@statistics_reads()
def outcome_totals(year=None):
    """The official total of every indicator in use, then its group totals, of the
    approved reports of period year `year` (all years when None) — the numbers of
    the total row of every roll-up of that year: [(Indicator or GroupTotal, Decimal
    or None)] in catalogue order, a group total after its group's last indicator."""
    indicators = list(Indicator.objects.filter(is_active=True))
    groups = group_totals(indicators)
    frame = stored_figures("county", year=year, by_key=False, indicators=indicators)
    figures = _combine(frame, ["key", "indicator"], indicators).get((TOTAL,), {})
    figures = with_group_totals(figures, groups)
    last = {g.codes[-1]: g for g in groups}
    out = []
    for indicator in indicators:
        out.append((indicator, figures.get(indicator.code)))
        if indicator.code in last:
            group = last[indicator.code]
            out.append((group, figures.get(group.code)))
    return out


def outcome_years_query():
    """The period years with an approved outcome report: a flat `values_list` of
    ints, unordered (to be combined with other years in one query)."""
    return (
        OutcomeReport.objects.filter(status=ReportStatus.APPROVED)
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )


def pairings_in_force(pairings, year):
    """`pairings` (a queryset) in force at some time of `year`: begun by its end
    (or of unknown start) and not ended before it begins. All when `year` is None."""
    if not year:
        return pairings
    begun = Q(start_date__lte=datetime.date(year, 12, 31)) | Q(start_date__isnull=True)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1))
    return pairings.filter(begun & not_ended)


@statistics_reads()
def headline(user=None, year=None):
    """The counts the reports quote: organizations paired with how many (key)
    counties, projects and their budgets, alliances, cross-province pairings — of the
    pairings `user` may see (all when None) in force in `year` (all when None)."""
    sees_all = user is None or user_sees_all_pairings(user)
    pairings = Pairing.objects.all() if sees_all else pairings_visible_to(user)
    pairings = pairings_in_force(pairings, year)
    if sees_all and not year:
        # every project: the stored counts (each project once, in its county)
        project_sums = RollupProjectCount.objects.filter(dimension="county").aggregate(
            n=Sum("projects"), budget=Sum("money")
        )
    else:
        projects = Project.objects.filter(pairing__in=pairings)
        project_sums = projects.aggregate(n=Count("pk"), budget=Sum("budget"))
    # one pass over the pairings (60,000 at national scale) for every count
    counts = pairings.aggregate(
        pairings=Count("pk"),
        organizations=Count("organization", distinct=True),
        counties=Count("county", distinct=True),
        key_counties=Count(
            "county", distinct=True, filter=Q(county__is_key_county=True)
        ),
        alliances=Count("alliance", distinct=True),
        cross_province=Count("pk", filter=Q(crosses_provinces=True)),
    )
    return {
        **counts,
        "projects": project_sums["n"] or 0,
        "budget": project_sums["budget"] or Decimal("0"),
    }
