"""Residency reads: where an organization resides, and the days spent in each stage."""

from django.utils import timezone

from incubator.models import Residency


def where_resides(organization):
    """The organization's active residency (with its base), or None."""
    return (
        Residency.objects.active()
        .filter(organization=organization)
        .select_related("base")
        .first()
    )


def stage_durations(residency, today=None):
    """Days spent in each stage, from the recorded moves (the current stage counts
    up to today for an open residency). Returns {stage: days}."""
    today = today or timezone.localdate()
    moves = list(residency.transitions.all())
    durations = {}
    for move, following in zip(moves, [*moves[1:], None], strict=True):
        if following is not None:
            end = following.moved_on
        elif move.to_stage in Residency.CLOSED:
            continue
        else:
            end = today
        durations[move.to_stage] = (
            durations.get(move.to_stage, 0) + (end - move.moved_on).days
        )
    return durations
