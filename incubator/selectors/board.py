"""Reads for the incubation board: counts per stage, time in stage, overdue
milestones, graduations and activities per year, and roll-ups by level/region."""

from collections import Counter, defaultdict

from django.db.models import Count, F, Q, Window
from django.db.models.functions import ExtractYear, Lead
from django.utils import timezone

from core.db import statistics_reads
from incubator.models import (
    ActivityKind,
    BaseLevel,
    IncubationBase,
    Milestone,
    Residency,
    ServiceActivity,
    Stage,
    StageTransition,
)


def stage_counts(residencies):
    counts = Counter(residencies.values_list("stage", flat=True))
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]


def mean_days_in_stage(residencies, today=None):
    """Mean days spent per stage over every residency that was in it (an open
    stage counts up to today), one decimal.

    Same rule as `selectors.residencies.stage_durations`, over all residencies at once: the
    database pairs each move with the next one (a window function), so no
    residency or move objects are built."""
    today = today or timezone.localdate()
    moves = (
        StageTransition.objects.filter(residency__in=residencies)
        .annotate(
            next_on=Window(
                Lead("moved_on"),
                partition_by=[F("residency_id")],
                order_by=[F("moved_on"), F("created_at"), F("pk")],
            )
        )
        .values_list("residency_id", "to_stage", "moved_on", "next_on")
        .order_by()
    )
    per_residency = defaultdict(int)
    for residency, stage, moved_on, next_on in moves:
        if next_on is None and stage in Residency.CLOSED:
            continue
        end = next_on or today
        per_residency[(residency, stage)] += (end - moved_on).days
    totals = defaultdict(list)
    for (_residency, stage), days in per_residency.items():
        totals[stage].append(days)
    result = []
    for stage in (Stage.APPLIED, Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING):
        days = totals.get(stage.value, [])
        mean = round(sum(days) / len(days), 1) if days else None
        result.append((stage, mean, len(days)))
    return result


def overdue_milestones(residencies, today=None):
    return (
        Milestone.objects.overdue(today)
        .filter(residency__in=residencies.filter(stage__in=Residency.ACTIVE))
        .select_related("residency__organization", "residency__base")
        .order_by("due_on")
    )


def graduations_per_year(residencies):
    rows = (
        residencies.filter(stage=Stage.GRADUATED)
        .annotate(year=ExtractYear("graduated_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(row["year"], row["n"]) for row in rows]


def activities_per_year(bases):
    """[(year, {kind: count}, hours)] newest first."""
    rows = (
        ServiceActivity.objects.filter(base__in=bases)
        .annotate(year=ExtractYear("held_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
    )
    table = defaultdict(dict)
    for row in rows:
        table[row["year"]][row["kind"]] = row["n"]
    return [
        (year, [(kind, table[year].get(kind.value, 0)) for kind in ActivityKind])
        for year in sorted(table, reverse=True)
    ]


# The board of many bases lists at most this many rows per table (with the total):
# a province has thousands of residents and overdue milestones.
LIST_LIMIT = 100


def residents_by_stage(residencies, today=None):
    """[(stage, rows, total)]: the first LIST_LIMIT residents of each active stage
    with their days in stage, and how many there are in all."""
    today = today or timezone.localdate()
    totals = Counter(
        residencies.filter(stage__in=Residency.ACTIVE).values_list("stage", flat=True)
    )
    lists = []
    for stage in Residency.ACTIVE:
        rows = [
            (r, r.days_in_stage(today))
            for r in residencies.filter(stage=stage).select_related(
                "organization", "base"
            )[:LIST_LIMIT]
        ]
        lists.append((Stage(stage), rows, totals.get(stage, 0)))
    return lists


@statistics_reads()
def base_board(bases, today=None):
    today = today or timezone.localdate()
    residencies = Residency.objects.filter(base__in=bases)
    overdue_all = overdue_milestones(residencies, today)
    overdue = list(overdue_all[:LIST_LIMIT])
    for milestone in overdue:
        milestone.days_late = (today - milestone.due_on).days
    return {
        "stage_counts": stage_counts(residencies),
        "days_in_stage": mean_days_in_stage(residencies, today),
        "overdue": overdue,
        "overdue_total": overdue_all.count() if len(overdue) == LIST_LIMIT else None,
        "list_limit": LIST_LIMIT,
        "graduations": graduations_per_year(residencies),
        "activities": activities_per_year(bases),
        "residents": residents_by_stage(residencies, today),
    }


def _rollup(bases, key_of, label_of):
    occupying = Q(residencies__stage__in=Residency.OCCUPYING)
    annotated = bases.annotate(
        occupying=Count("residencies", filter=occupying),
        applied=Count("residencies", filter=Q(residencies__stage=Stage.APPLIED)),
        graduated=Count("residencies", filter=Q(residencies__stage=Stage.GRADUATED)),
    ).select_related("region__parent__parent")
    groups = {}
    for base in annotated:
        key = key_of(base)
        row = groups.setdefault(
            key,
            {
                "label": label_of(base),
                "bases": 0,
                "capacity": 0,
                "occupying": 0,
                "applied": 0,
                "graduated": 0,
            },
        )
        row["bases"] += 1
        row["capacity"] += base.capacity
        row["occupying"] += base.occupying
        row["applied"] += base.applied
        row["graduated"] += base.graduated
    return groups


def by_level(bases):
    groups = _rollup(bases, lambda b: b.level, lambda b: b.get_level_display())
    return [groups[level.value] for level in BaseLevel if level.value in groups]


def _city(region):
    while region.parent_id and region.level > 2:
        region = region.parent
    return region


def by_region(bases):
    groups = _rollup(
        bases, lambda b: _city(b.region).code, lambda b: _city(b.region).full_name
    )
    return [groups[code] for code in sorted(groups)]


@statistics_reads()
def department_board(bases):
    return {
        "levels": by_level(bases),
        "regions": by_region(bases),
        "bases": bases.order_by("level", "name").select_related(
            "region__parent__parent"
        ),
    }


def filter_bases(bases, level=None, region_code=None):
    if level:
        bases = bases.filter(level=level)
    if region_code:
        prefix = region_code.rstrip("0")
        if len(prefix) % 2:
            prefix += "0"
        bases = bases.filter(region__code__startswith=prefix)
    return bases


__all__ = ["IncubationBase", "base_board", "department_board", "filter_bases"]
