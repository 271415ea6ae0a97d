"""The public figures: the one place where the numbers of the public site are computed.

Two kinds of numbers, each declared once and computed from the database:

- **Headline figures** (`FIGURES`) — the big numbers on the home page and the top of
  the statistics page. A *provider* is a function returning ``{key: value}`` for
  several figures at once (one aggregate query); a `Figure` says how to label one key.
- **Breakdowns** (`BREAKDOWNS`) — a figure split by category (by type, by
  prefecture, by year …), drawn as a chart and printed as a table.

Other parts of the platform add their numbers *here*: the incubation app adds a
provider for "organizations in incubation" and "graduated this year", the grants app
"money awarded", the rural-revitalization app "projects" and "people helped", each
with their `Figure` lines and breakdowns. Pages never compute figures themselves.

**By year**: figures marked `yearly` and the breakdowns marked so
are computed for one year when a reader chooses it (`?year=2023`): awards by award
year (`funding.selectors.public_money`), outcomes by period year, pairings in force
that year. Organization and incubation figures are how things stand today and
ignore the year. With no year chosen every figure is over all years (累计): a
landing page that quotes the whole record, and whose numbers never drop to almost
nothing on 1 January as "the latest year" would. Only approved data counts: awards
made (立项 and later), approved outcome reports.

Values are cached per year and marked stale whenever the data they come from
changes (see `cms.apps`): readers keep getting the previous figures while the
worker recomputes them (`_cached`, `figures_refresh`), because at national scale
the computation reads every line (about 5 s at 1,000,000 organizations and
10,000,000 outcome lines). Labels are applied when rendering, in the reader's
language, so the cache holds only numbers and data strings.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from cms.page_cache import stored_pages_clear
from core.db import primary_reads, statistics_reads
from core.models import Region
from core.money import CENT, wan_yuan_display
from core.numbers import count_display
from incubator.choices import OrganizationType, Rating, RegistrationStatus
from incubator.models import Organization, ServiceField

logger = logging.getLogger(__name__)

# One entry per year slot ("all" or a year): f"{CACHE_KEY}:{slot}", kept until
# replaced (`figures_compute`).
CACHE_KEY = "cms:figures:v3"
# The data version: a new value at every change of the data (`figures_invalidate`).
VERSION_KEY = "cms:figures:version"
# Set for a few seconds by `figures_invalidate`: the data just changed, so the next
# computation reads the primary (a replica may not have the change yet) instead of
# caching the replica's older numbers.
CHANGED_KEY = "cms:figures:changed"
# Figures older than this are refreshed even without a change heard: ratings run out,
# the year turns, a bulk `update()` sends no signal.
FRESH_SECONDS = 10 * 60
# Set while a refresh of a slot is queued or running, so a thousand readers queue
# one task; expires by itself should the worker never run it.
QUEUED_KEY = "cms:figures:queued:%s"
QUEUED_SECONDS = 60

RATED_3A_PLUS = (Rating.A3, Rating.A4, Rating.A5)
# The measure word after a count of organizations (家 in Chinese).
ORG_UNIT = _("organizations")


def _number(value):
    """A number as the tables show it: grouped by thousands, at most 2 decimals."""
    value = Decimal(value).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        value = value.to_integral_value()
    return number_format(value, force_grouping=True)


def _chinese():
    return (get_language() or "").startswith("zh")


@dataclass(frozen=True)
class Figure:
    """How one headline number is shown: its key in a provider's result, its label
    and its unit (个, 家, 元 …)."""

    key: str
    label: str
    unit: str = ""
    note: str = ""
    yearly: bool = False  # computed for the year chosen (else: as of today)


@dataclass(frozen=True)
class Breakdown:
    """One figure split by category: a chart and the same numbers as a table."""

    key: str
    title: str
    category_heading: str
    value_heading: str
    chart: str  # "bar", "pie" or "line"
    compute: Callable[[], list[tuple[str, int | Decimal]]]
    # Turns a stored category key into the label shown (e.g. a choice's label).
    label: Callable[[str], str] = str
    unit: str = ""
    yearly: bool = False  # `compute(year)` for the year chosen
    # Values in 元, shown (table and chart) in 万元 as statistics state money.
    money: bool = False


@dataclass
class BreakdownResult:
    breakdown: Breakdown
    rows: list[tuple[str, int | Decimal]] = field(default_factory=list)

    @property
    def total(self):
        return sum(value for _label, value in self.rows)

    @property
    def summary(self):
        """The chart's data in one or two sentences, in the reader's language, for
        those who cannot see the chart (GB/T 37668-2019, WCAG 2.1 1.1.1): how many
        categories, the total, the largest two. The full figures are in the table
        the chart names with `aria-describedby`."""
        if not self.rows:
            return str(_("No data yet."))
        unit = str(self.breakdown.unit)
        parts = [
            _("%(count)s categories, %(total)s %(unit)s in all.")
            % {"count": len(self.rows), "total": _number(self.total), "unit": unit}
        ]
        ranked = sorted(self.rows, key=lambda row: row[1], reverse=True)
        parts.append(
            _("The largest is %(label)s: %(value)s %(unit)s.")
            % {"label": ranked[0][0], "value": _number(ranked[0][1]), "unit": unit}
        )
        if len(ranked) > 1:
            parts.append(
                _("Next is %(label)s: %(value)s %(unit)s.")
                % {"label": ranked[1][0], "value": _number(ranked[1][1]), "unit": unit}
            )
        return "".join(str(p) for p in parts) if _chinese() else " ".join(parts)

    def table_rows(self):
        """The table's rows as printed: [(label, value text)], money in 万元 without
        the unit (the column heading says it), counts with thousands separators —
        what the `wanyuan:"bare"` and `count` filters print."""
        if self.breakdown.money:
            return [
                (label, wan_yuan_display(value, unit=False))
                for label, value in self.rows
            ]
        return [(label, count_display(value)) for label, value in self.rows]

    def chart_data(self):
        """What `cms/js/charts.js` draws (JSON-serialisable)."""
        return {
            "type": self.breakdown.chart,
            "title": str(self.breakdown.title),
            "categories": [label for label, _value in self.rows],
            "values": [
                float(_wan(value) if self.breakdown.money else value)
                for _label, value in self.rows
            ],
            "name": str(self.breakdown.value_heading),
            "unit": str(self.breakdown.unit),
        }


@dataclass(frozen=True)
class FigureResult:
    figure: Figure
    value: int | Decimal


# --- organizations (incubator) ------------------------------------------------------


def registered_organizations():
    """Organizations whose registration (or filing) is in force."""
    return Organization.objects.filter(registration_status=RegistrationStatus.ACTIVE)


def _valid_rating_q(ratings):
    today = timezone.localdate()
    return Q(rating__in=ratings) & (
        Q(rating_valid_until__isnull=True) | Q(rating_valid_until__gte=today)
    )


def organization_figures(year=None):
    """All organization headline numbers in one aggregate query."""
    counts = {
        f"organizations_{org_type.value}": Count("pk", filter=Q(org_type=org_type))
        for org_type in OrganizationType
    }
    return registered_organizations().aggregate(
        organizations_registered=Count("pk"),
        organizations_rated_3a_plus=Count("pk", filter=_valid_rating_q(RATED_3A_PLUS)),
        **counts,
    )


def organizations_by_type():
    rows = dict(
        registered_organizations()
        .values_list("org_type")
        .annotate(n=Count("pk"))
        .values_list("org_type", "n")
    )
    return [(t.value, rows[t.value]) for t in OrganizationType if rows.get(t.value)]


def organizations_by_prefecture():
    """Counted at prefecture level (地市): a county's organizations count for its
    prefecture; an organization registered at a province is counted under the
    province."""
    rows = (
        registered_organizations()
        .annotate(prefix=Substr("region__code", 1, 4))
        .values_list("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    counts = {}
    for prefix, n in rows:
        code = f"{prefix}00" if prefix[2:] != "00" else f"{prefix[:2]}0000"
        counts[code] = counts.get(code, 0) + n
    provinces = {f"{code[:2]}0000" for code in counts}
    regions = {
        r.code: r
        for r in Region.objects.filter(code__in=set(counts) | provinces).select_related(
            "parent"
        )
    }

    def name(code):
        region = regions.get(code)
        if region is None:  # a prefecture missing from the divisions: its province
            province = regions.get(f"{code[:2]}0000")
            return province.name if province else code
        if region.parent_id:
            return f"{region.parent.name}{region.name}"
        return region.name

    return sorted(
        ((name(code), n) for code, n in counts.items()), key=lambda r: (-r[1], r[0])
    )


def organizations_by_rating():
    rows = dict(
        registered_organizations()
        .filter(_valid_rating_q(Rating.values))
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    return [(r.value, rows.get(r.value, 0)) for r in reversed(Rating)]


def organizations_by_founding_year():
    rows = (
        registered_organizations()
        .filter(founded_on__isnull=False)
        .annotate(year=ExtractYear("founded_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by("year")
    )
    counts = dict(rows)
    if not counts:
        return []
    # Every year from the first to the last, so the line does not skip empty years.
    return [(str(y), counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def organizations_by_service_field():
    rows = (
        ServiceField.objects.annotate(
            n=Count(
                "organizations",
                filter=Q(organizations__registration_status=RegistrationStatus.ACTIVE),
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "sort_order", "name")
        .values_list("name", "n")
    )
    return list(rows)


# --- incubation, grants, rural revitalization -------------------------------------


def incubation_figures(year=None):
    """Organizations in incubation (a residency holding a place at a base: entered,
    incubating or being assessed) and residencies graduated this calendar year."""
    from incubator.models import Residency, Stage

    year = timezone.localdate().year
    return Residency.objects.aggregate(
        organizations_in_incubation=Count(
            "organization", distinct=True, filter=Q(stage__in=Residency.OCCUPYING)
        ),
        organizations_graduated_this_year=Count(
            "pk", filter=Q(stage=Stage.GRADUATED, graduated_on__year=year)
        ),
    )


def _wan(yuan):
    """Yuan → 万元, to two decimals (shown without trailing zeros when whole)."""
    value = (Decimal(yuan or 0) / 10000).quantize(CENT)
    return int(value) if value == value.to_integral() else value


def award_figures(year=None):
    """Organizations funded (家) and money awarded (万元) in award year `year` (all
    when None): awards made only (立项 and later; a terminated award counts what was
    paid), by the rule of `funding.selectors.public_money`."""
    from funding.selectors.public_money import public_money_summary

    summary = public_money_summary(year)
    return {
        "organizations_funded": summary["organizations_funded"],
        "money_awarded": _wan(summary["money_awarded"]),
    }


# The indicator of the catalogue counted as "people helped".
PEOPLE_HELPED_INDICATOR = "beneficiaries"


def project_figures(year=None):
    """Revitalization projects (as of today; "people helped" comes with the outcome
    totals, see `people_helped`)."""
    from projects.models import Project

    return {"projects": Project.objects.count()}


def people_helped(outcomes):
    """People helped: the official total of the beneficiaries indicator among
    `outcomes` (`outcome_figures`), by the roll-up rules of
    `projects.selectors.rollups` (cumulative: each project's latest approved value,
    then summed); 0 when no approved report gives one."""
    value = next(
        (v for _k, code, _n, _u, v in outcomes if code == PEOPLE_HELPED_INDICATOR),
        None,
    )
    return int(value) if value is not None else 0


def pairing_figures(year=None):
    """Pairings (结对帮扶) in force in `year` (all when None), in one query:
    organizations paired, counties paired and key counties (重点帮扶县) among them —
    the counts of the roll-up screen (`projects.selectors.rollups.headline`)."""
    from projects.models import Pairing
    from projects.selectors.rollups import pairings_in_force

    return pairings_in_force(Pairing.objects.all(), year).aggregate(
        organizations_paired=Count("organization", distinct=True),
        counties_paired=Count("county", distinct=True),
        key_counties_paired=Count(
            "county", distinct=True, filter=Q(county__is_key_county=True)
        ),
    )


def outcome_figures(year=None):
    """Every indicator's official total of period year `year` (all when None), with
    the group totals (`projects.selectors.rollups.outcome_totals`), as data only:
    [(kind "indicator" or "group", code, name, unit, value Decimal or None)]."""
    from projects.selectors.rollups import GroupTotal, outcome_totals

    return [
        (
            "group" if isinstance(item, GroupTotal) else "indicator",
            item.code,
            item.group if isinstance(item, GroupTotal) else item.name,
            item.unit,
            value,
        )
        for item, value in outcome_totals(year)
    ]


def awards_by_fund(year=None):
    """Money awarded (元) per fund — a fund is a name *and* a year, "2023 福彩公益金" —
    of award year `year` (all when None), largest first: awards made only, a
    terminated award counting what was paid (`funding.selectors.public_money`)."""
    from funding.selectors.public_money import public_money_by_fund

    return public_money_by_fund(year)


def figure_years():
    """The years a reader may choose, newest first: award years with an award made
    and period years with an approved outcome report."""
    from funding.selectors.public_money import awards_made
    from projects.selectors.rollups import outcome_years_query

    award_years = awards_made().values_list("award_year", flat=True).order_by()
    years = award_years.union(outcome_years_query())  # one query
    return sorted({y for y in years if y}, reverse=True)


def projects_by_category():
    """Revitalization projects per category, in the categories' order."""
    from projects.choices import ProjectCategory
    from projects.models import Project

    counts = dict(
        Project.objects.values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
        .order_by()
    )
    return [(c.value, counts[c.value]) for c in ProjectCategory if counts.get(c.value)]


def _category_label(value):
    from projects.choices import ProjectCategory

    return ProjectCategory(value).label


def _type_label(value):
    return OrganizationType(value).label


# --- the tables -----------------------------------------------------------------------

# Each provider returns {figure key: value}; add a provider per app.
PROVIDERS: list[Callable[..., dict]] = [
    organization_figures,
    incubation_figures,
    award_figures,
    project_figures,
    pairing_figures,
]

# The headline figures, in the order they are shown.
FIGURES: list[Figure] = [
    Figure("organizations_registered", _("Social organizations registered"), ORG_UNIT),
    Figure(
        "organizations_rated_3a_plus",
        pgettext_lazy("public figure", "Rated 3A or above"),
        ORG_UNIT,
        note=_("with a rating still in force"),
    ),
    Figure(
        f"organizations_{OrganizationType.SOCIAL_GROUP}", _("Social groups"), ORG_UNIT
    ),
    Figure(f"organizations_{OrganizationType.FOUNDATION}", _("Foundations"), ORG_UNIT),
    Figure(
        f"organizations_{OrganizationType.SOCIAL_SERVICE}",
        _("Social service agencies"),
        ORG_UNIT,
    ),
    Figure(
        f"organizations_{OrganizationType.COMMUNITY}",
        _("Community social organizations"),
        ORG_UNIT,
    ),
    Figure(
        "organizations_in_incubation",
        _("Organizations in incubation"),
        ORG_UNIT,
        note=_("at an incubation base today"),
    ),
    Figure(
        "organizations_graduated_this_year",
        _("Graduated this year"),
        ORG_UNIT,
        note=_("left incubation with a passed assessment"),
    ),
    Figure("projects", _("Rural revitalization projects"), _("projects")),
    Figure(
        "organizations_funded",
        _("Organizations funded"),
        ORG_UNIT,
        note=_("awards made (立项), by award year"),
        yearly=True,
    ),
    Figure(
        "money_awarded",
        _("Money awarded"),
        _("10,000 yuan"),
        note=_("approved amounts of funded projects"),
        yearly=True,
    ),
    Figure(
        "organizations_paired",
        _("Organizations in pairings"),
        ORG_UNIT,
        note=_("pairings in force"),
        yearly=True,
    ),
    Figure("counties_paired", _("Counties paired"), _("counties"), yearly=True),
    Figure(
        "key_counties_paired",
        _("Key counties paired"),
        _("counties"),
        note=_("national key counties for rural revitalization"),
        yearly=True,
    ),
    Figure(
        "people_helped",
        _("People helped"),
        _("people"),
        note=_("approved outcome reports only"),
        yearly=True,
    ),
]

BREAKDOWNS: list[Breakdown] = [
    Breakdown(
        "organizations_by_type",
        _("Social organizations by type"),
        _("Type"),
        _("Organizations"),
        "pie",
        organizations_by_type,
        label=_type_label,
        unit=ORG_UNIT,
    ),
    Breakdown(
        "organizations_by_prefecture",
        _("Social organizations by prefecture"),
        pgettext_lazy("statistics column", "Prefecture"),
        _("Organizations"),
        "bar",
        organizations_by_prefecture,
        unit=ORG_UNIT,
    ),
    Breakdown(
        "organizations_by_service_field",
        _("Social organizations by service field"),
        _("Service field"),
        _("Organizations"),
        "bar",
        organizations_by_service_field,
        unit=ORG_UNIT,
    ),
    Breakdown(
        "organizations_by_rating",
        _("Ratings in force"),
        _("Rating"),
        _("Organizations"),
        "bar",
        organizations_by_rating,
        unit=ORG_UNIT,
    ),
    Breakdown(
        "organizations_by_founding_year",
        _("Social organizations by year founded"),
        _("Year founded"),
        _("Organizations"),
        "line",
        organizations_by_founding_year,
        unit=ORG_UNIT,
    ),
    Breakdown(
        "awards_by_fund",
        _("Money awarded by fund"),
        pgettext_lazy("statistics column", "Fund"),
        _("Amount awarded"),
        "bar",
        awards_by_fund,
        unit=_("10,000 yuan"),
        yearly=True,
        money=True,
    ),
    Breakdown(
        "projects_by_category",
        _("Rural revitalization projects by category"),
        pgettext_lazy("statistics column", "Category"),
        _("Projects"),
        "pie",
        projects_by_category,
        label=_category_label,
        unit=_("projects"),
    ),
]


# --- reading them -----------------------------------------------------------------------


@statistics_reads()
def _compute(year=None):
    values = {}
    for provider in PROVIDERS:
        values.update(provider(year))
    outcomes = outcome_figures(year)
    values["people_helped"] = people_helped(outcomes)
    return {
        "figures": values,
        "breakdowns": {
            b.key: list(b.compute(year) if b.yearly else b.compute())
            for b in BREAKDOWNS
        },
        "outcomes": outcomes,
        "years": figure_years(),
    }


def _slot_key(slot):
    return f"{CACHE_KEY}:{slot}"


def data_version():
    """The version of the figures' data (a hex str, or None before any change was
    heard): a new one at every `figures_invalidate`. An entry computed at another
    version is stale."""
    return cache.get(VERSION_KEY)


def figures_compute(slot):
    """Compute the figures of `slot` ("all" or a year) from the database and store
    them with the data version read *before* the first query, so a change made
    while they are computed leaves them stale (`_cached` queues another refresh).
    Reads the primary for a few seconds after a change (`CHANGED_KEY`): a lagging
    replica must not be taken for the changed data. A computation that started
    before the one stored (two workers, the slower finishing last) stores nothing:
    its figures are older. Returns the entry now stored:
    {"values": …, "version": str or None, "started_at" and "computed_at": seconds
    since the epoch}."""
    started_at = time.time()
    version = data_version()
    year = None if slot == "all" else int(slot)
    if cache.get(CHANGED_KEY):
        with primary_reads():
            values = _compute(year)
    else:
        values = _compute(year)
    entry = {
        "values": values,
        "version": version,
        "started_at": started_at,
        "computed_at": time.time(),
    }
    stored = cache.get(_slot_key(slot))
    if stored is not None and stored.get("started_at", 0) > started_at:
        return stored
    cache.set(_slot_key(slot), entry, None)
    return entry


def _stale(entry, version):
    return (
        entry["version"] != version
        or time.time() - entry["computed_at"] > FRESH_SECONDS
    )


@task()
def figures_refresh(slot):
    """The worker's task: recompute the figures of `slot` ("all" or a year, as a
    str) unless they are fresh already (another refresh queued for the same change
    got there first), then, if they changed, drop the stored public pages, which
    show the figures served meanwhile (not the tree facts: the page tree has not
    changed). Returns True when it recomputed.

    Raises what the computation raises (a statement timeout, a lost connection);
    readers keep the previous figures, and no refresh of the slot is queued again
    for `QUEUED_SECONDS`, so a failing database is not asked again at once."""
    # The slot's mark is held while it computes, so readers in the meantime queue
    # nothing more; a change in the meantime leaves the figures stale (their
    # version is read first), and the next reader after the mark is gone queues.
    entry = cache.get(_slot_key(slot))
    if entry is not None and not _stale(entry, data_version()):
        cache.delete(QUEUED_KEY % slot)
        return False
    try:
        new = figures_compute(slot)
    except Exception:
        cache.set(QUEUED_KEY % slot, True, QUEUED_SECONDS)
        raise
    cache.delete(QUEUED_KEY % slot)
    if entry is None or new["values"] != entry["values"]:
        stored_pages_clear()
    return True


def _refresh_in_thread(slot):
    try:
        figures_refresh.call(slot)
    except Exception:
        logger.exception("figures: the refresh of %s failed", slot)
    finally:
        connections.close_all()  # this thread's own connections


def _refresh_start(slot):
    """Start the refresh of `slot` as `settings.FIGURES_REFRESH` says: queued for
    the worker ("worker": the cache is shared with it), or in a thread of this
    process ("thread": a cache of this process's memory, which a worker could not
    fill)."""
    if getattr(settings, "FIGURES_REFRESH", "worker") == "thread":
        threading.Thread(
            target=_refresh_in_thread, args=(slot,), name=f"figures-{slot}", daemon=True
        ).start()
        return
    # A reader's request runs in autocommit (no ATOMIC_REQUESTS): a failed insert
    # of the task's row leaves its connection usable.
    try:
        figures_refresh.enqueue(slot)
    except DatabaseError:
        # The figures are still served; another reader queues the refresh once
        # the mark expires.
        logger.exception("figures: the refresh of %s was not queued", slot)


def _cached(year=None):
    """The figures of `year` (None: all years): served from the cache, and never
    recomputed while a reader waits except when nothing is stored at all (the first
    reader after the cache was emptied).

    Stale-while-revalidate: an entry computed before the latest change of the data
    (`figures_invalidate`), or more than `FRESH_SECONDS` ago (a rating runs out, a
    year turns), is still served, and one `figures_refresh` task per year slot is
    queued for the worker (`db_worker`; or run in a thread where the cache is
    this process's memory: `settings.FIGURES_REFRESH`), which recomputes it — at
    national scale about 5 s — and drops the stored pages. So the figures readers
    see lag a change by the recompute, and no reader pays for it."""
    slot = str(year or "all")
    key = _slot_key(slot)
    stored = cache.get_many([key, VERSION_KEY])
    entry = stored.get(key)
    if entry is None:
        return figures_compute(slot)["values"]
    if _stale(entry, stored.get(VERSION_KEY)):
        if cache.add(QUEUED_KEY % slot, True, QUEUED_SECONDS):
            _refresh_start(slot)
            # The immediate task backend (tests) has recomputed it already:
            # serve that.
            entry = cache.get(key) or entry
    return entry["values"]


def years():
    """The years a reader may choose (ints, newest first)."""
    return _cached()["years"]


def year_chosen(value):
    """The year a reader chose (`?year=2023`, a string or None) when it is one of
    `years()`; None (all years) for anything else — a missing, mistyped or empty
    year shows every year rather than an error."""
    try:
        year = int(value or "")
    except (TypeError, ValueError):
        return None
    return year if year in years() else None


def headline_figures(year=None):
    """The headline figures with their values, in display order; `yearly` ones of
    `year` (all years when None)."""
    values = _cached(year)["figures"]
    return [FigureResult(f, values.get(f.key, 0)) for f in FIGURES]


def breakdowns(year=None):
    """Every breakdown with its rows labelled in the active language; `yearly` ones
    of `year` (all years when None)."""
    stored = _cached(year)["breakdowns"]
    return [
        BreakdownResult(b, [(str(b.label(key)), value) for key, value in stored[b.key]])
        for b in BREAKDOWNS
    ]


@dataclass(frozen=True)
class OutcomeResult:
    """One line of the outcome table: an indicator's official total, or a group's
    (`is_group`), with its unit; `value` None when no approved report gives one."""

    label: str
    unit: str
    value: Decimal | None
    is_group: bool = False


def outcome_results(year=None):
    """Per indicator in use, then its group totals, the official total of period
    year `year` (all when None), labelled in the active language."""
    return [
        OutcomeResult(
            gettext("%(group)s total") % {"group": name} if kind == "group" else name,
            unit,
            value,
            is_group=kind == "group",
        )
        for kind, _code, name, unit, value in _cached(year)["outcomes"]
    ]


def _changed():
    """The data changed: a new data version, and reads from the primary for
    `DATABASE_REPLICA_PIN_SECONDS` (a replica may not have the change yet)."""
    cache.set(CHANGED_KEY, True, getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10))
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def figures_invalidate(**_kwargs):
    """Mark the cached figures of every year stale (connected to the signals of the
    data they read): a new data version now, and again when the transaction
    commits, so a refresh that read the data before the commit is not taken for
    fresh. Readers are served the previous figures until the worker has recomputed
    them (`_cached`); the stored public pages are dropped at once and at the
    commit, as they show the data too, and again when the figures are
    recomputed. The page tree's facts are kept: the data is not the tree (the
    showcase filters have a receiver of their own,
    `cms.selectors.site_tree.showcase_data_changed`)."""
    _changed()
    transaction.on_commit(_changed)  # a long transaction outlasts the pin
    # The stored public pages show this data (not only the figures): dropped now,
    # and at the commit, so a page rendered before it is not kept either.
    stored_pages_clear()
    transaction.on_commit(stored_pages_clear)
