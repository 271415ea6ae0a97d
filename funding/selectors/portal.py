"""Reads of applying online: an organization's applications, the status bar of
我的申报, the answers of a form version as rows, what changed between two
submissions, and the anonymous review feedback a call may publish.

Reviewers' names and scores are never read here: an organization sees its
application's progress and, when the call publishes feedback, the comments alone.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.money import yuan_text
from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus
from funding.models import Application, Call

#: The status bar of 我的申报 (DESIGN.md §2 "Applying online"): each step with the
#: statuses of `ApplicationStatus` it covers. Withdrawn stays at its draft step.
STEPS = (
    (pgettext_lazy("status bar", "Draft"), {S.DRAFT, S.WITHDRAWN}),
    (pgettext_lazy("status bar", "Submitted"), {S.SUBMITTED, S.MORE_INFO}),
    (pgettext_lazy("status bar", "Eligibility check"), {S.ELIGIBLE, S.INELIGIBLE}),
    (pgettext_lazy("status bar", "In review"), {S.IN_REVIEW, S.REVIEWED}),
    (pgettext_lazy("status bar", "Decision"), {S.APPROVED, S.REJECTED}),
    (pgettext_lazy("status bar", "Public notice"), {S.IN_PUBLIC_NOTICE}),
    (pgettext_lazy("status bar", "Awarded"), {S.AWARDED}),
    (pgettext_lazy("status bar", "In progress"), {S.IN_PROGRESS}),
    (pgettext_lazy("status bar", "Mid-term"), {S.MIDTERM_CHECKED}),
    (pgettext_lazy("status bar", "Completed"), {S.COMPLETED, S.TERMINATED}),
)
#: Statuses where the road stops: the bar shows the step it stopped at as such.
STOPPED = {S.REJECTED, S.INELIGIBLE, S.TERMINATED, S.WITHDRAWN, S.MORE_INFO}


@dataclass(frozen=True)
class Step:
    label: str
    state: (
        str  # "done", "current", "stopped" (current, the road stops or waits), "todo"
    )


def status_steps(status):
    """The 10 steps of the bar for an application in `status`, each done, current,
    stopped (rejected, failed, terminated, withdrawn, or waiting for the
    organization's information) or still to do."""
    status = S(status)
    index = next(i for i, (_label, covered) in enumerate(STEPS) if status in covered)
    steps = []
    for i, (label, _covered) in enumerate(STEPS):
        if i < index:
            state = "done"
        elif i == index:
            state = "stopped" if status in STOPPED else "current"
        else:
            state = "todo"
        steps.append(Step(str(label), state))
    return steps


def applications_of(organization):
    """The organization's own applications, newest first (a queryset)."""
    return (
        Application.objects.filter(organization=organization)
        .select_related("call", "call__fund")
        .order_by("-pk")
    )


def draft_of(call, organization):
    """The organization's draft application to `call` (at most one), or None."""
    return Application.objects.filter(
        call=call, organization=organization, status=S.DRAFT
    ).first()


def open_calls(today):
    """Calls open on `today` (a local date): the ones an organization can apply to."""
    return Call.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
        "closes_on", "name"
    )


def _answer_text(block, answer):
    kind = block["type"]
    if answer in (None, "", [], {}):
        return ""
    if kind == "number":
        unit = block["value"].get("unit") or ""
        return f"{answer}{unit}"
    if kind == "file":
        return answer.get("name", "") if isinstance(answer, dict) else str(answer)
    if kind == "table":
        return "\n".join(" | ".join(str(c) for c in row) for row in answer if any(row))
    return str(answer)


def answer_rows(blocks, answers):
    """[(label, answer as text, block)] for each question of a form version's
    `blocks`, in their order: how staff and the organization read the answers
    of the version the application was written against."""
    answers = answers or {}
    return [
        (b["value"].get("label", ""), _answer_text(b, answers.get(b["id"])), b)
        for b in blocks
    ]


STANDARD_LABELS = (
    ("title", gettext_lazy("Project title")),
    ("summary", gettext_lazy("Summary")),
    ("requested_amount", gettext_lazy("Requested amount (yuan)")),
    ("target_region", gettext_lazy("Target region")),
    ("beneficiaries", gettext_lazy("Beneficiaries")),
    ("beneficiary_count", gettext_lazy("Number of beneficiaries")),
    ("linked_projects", gettext_lazy("Linked rural-revitalization projects")),
)


def _lines_text(lines):
    return "\n".join(f"{item}：{yuan_text(amount)}" for item, amount in lines or [])


def submission_diff(before, after, blocks):
    """What changed between two submissions' snapshots: [(label, before, after)]
    for each standard field, the budget lines, the attachments and each answer
    of `blocks` (the later submission's form version) whose value differs.
    Empty list when nothing changed."""
    changes = []
    for name, label in STANDARD_LABELS:
        old, new = before.get(name), after.get(name)
        if name == "requested_amount":
            old, new = yuan_text(old) if old else "", yuan_text(new) if new else ""
        if (old or "") != (new or ""):
            changes.append((str(label), str(old or ""), str(new or "")))
    old, new = (
        _lines_text(before.get("budget_lines")),
        _lines_text(after.get("budget_lines")),
    )
    if old != new:
        changes.append((_("Budget lines"), old, new))
    old = "、".join(before.get("attachments") or [])
    new = "、".join(after.get("attachments") or [])
    if old != new:
        changes.append((_("Attachments"), old, new))
    old_answers = before.get("answers") or {}
    new_answers = after.get("answers") or {}
    for block in blocks:
        a = _answer_text(block, old_answers.get(block["id"]))
        b = _answer_text(block, new_answers.get(block["id"]))
        if a != b:
            changes.append((block["value"].get("label", ""), a, b))
    return changes


def anonymous_feedback(application):
    """Reviewers' comments on the application, without names or scores, when its
    call publishes feedback and its review is closed; else an empty list."""
    call = application.call
    if not call.publish_feedback or not call.review_closed:
        return []
    return [
        comment
        for comment in application.reviews.filter(
            status=ReviewStatus.SUBMITTED
        ).values_list("comment", flat=True)
        if comment and comment.strip()
    ]
