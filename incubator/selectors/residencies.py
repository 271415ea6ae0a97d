"""Residency reads: where an organization resides, and the days spent in each stage."""

from django.utils import timezone

from incubator.models import Residency, Stage


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


def person_name(user):
    """A person as the pages name them: family name first, no space (周敏); the
    login when no name is recorded; "" for nobody."""
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


#: The stages of the residency page's timeline, in order (DESIGN.md: 入驻 → 孵化 →
#: 评估 → 出壳), after the application.
TIMELINE = (
    Stage.APPLIED,
    Stage.ENTERED,
    Stage.INCUBATING,
    Stage.ASSESSING,
    Stage.GRADUATED,
)


def stage_timeline(residency):
    """The residency's stages as the page draws them, from its recorded moves
    (`StageTransition`): one dict per stage of `TIMELINE` — ``stage``, ``label``,
    ``on`` (the date it was first reached, or None), ``by`` (who moved it),
    ``note``, ``state`` ("done", "current" or "todo") — then, for a residency
    that left early (withdrawn, terminated), one more with state "exit" and its
    reason. The application date is the residency's own `applied_on`."""
    moves = {}
    for move in residency.transitions.select_related("user"):
        moves.setdefault(move.to_stage, move)
    current = residency.stage
    steps = []
    for stage in TIMELINE:
        move = moves.get(stage)
        if stage == current:
            state = "done" if current == Stage.GRADUATED else "current"
        elif move is not None or stage == Stage.APPLIED:
            state = "done"
        else:
            state = "todo"
        steps.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "on": move.moved_on
                if move
                else (residency.applied_on if stage == Stage.APPLIED else None),
                "by": person_name(move.user) if move else "",
                "note": move.note if move else "",
                "state": state,
            }
        )
    if current in (Stage.WITHDRAWN, Stage.TERMINATED):
        move = moves.get(current)
        steps.append(
            {
                "stage": current,
                "label": Stage(current).label,
                "on": residency.closed_on or (move.moved_on if move else None),
                "by": person_name(move.user) if move else "",
                "note": residency.exit_reason or (move.note if move else ""),
                "state": "exit",
            }
        )
    return steps


def milestone_bar(residency, today=None):
    """The milestones as a progress bar: {"milestones": [(milestone, state)],
    "done", "total", "overdue", "percent"}; `state` is "done", "overdue" (not done,
    due before `today`) or "open"; `percent` is done/total rounded to a whole
    number, None without milestones."""
    today = today or timezone.localdate()
    rows = []
    for milestone in residency.milestones.all():
        if milestone.done_on:
            state = "done"
        elif milestone.is_overdue(today):
            state = "overdue"
        else:
            state = "open"
        rows.append((milestone, state))
    done = sum(1 for _m, state in rows if state == "done")
    total = len(rows)
    return {
        "milestones": rows,
        "done": done,
        "total": total,
        "overdue": sum(1 for _m, state in rows if state == "overdue"),
        "percent": round(done * 100 / total) if total else None,
    }


def residency_assessments(residency, user):
    """The residency's graduation assessments, newest first, each with what `user`
    may do there: a list of dicts ``assessment``, ``assessors`` (their names, joined by 、),
    ``scored_by_me`` (bool), ``may_score`` (named as an assessor, not concluded)."""
    rows = []
    assessments = residency.assessments.prefetch_related("assessors").order_by(
        "-held_on", "-pk"
    )
    for assessment in assessments:
        assessors = list(assessment.assessors.all())
        named = any(a.pk == user.pk for a in assessors)
        rows.append(
            {
                "assessment": assessment,
                "assessors": "、".join(person_name(a) for a in assessors),
                "may_score": named and not assessment.is_concluded,
                "scored_by_me": named
                and assessment.scores.filter(assessor=user).exists(),
            }
        )
    return rows
