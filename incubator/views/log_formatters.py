"""How incubation's named actions read in Wagtail's History screens."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from incubator.models import Stage


class StageMoveFormatter(LogFormatter):
    """History line of a stage move: "阶段变更：已入驻 → 孵化中（reason；note）"."""

    label = _("Move residency stage")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        start = Stage(data["from"]).label if data.get("from") else "—"
        end = Stage(data["to"]).label if data.get("to") else "—"
        message = _("Stage moved: %(start)s → %(end)s") % {"start": start, "end": end}
        extra = "；".join(p for p in (data.get("reason"), data.get("note")) if p)
        return f"{message}（{extra}）" if extra else message


class AssessmentConcludedFormatter(LogFormatter):
    """History line of a concluded graduation assessment: result and outcome."""

    label = _("Conclude graduation assessment")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        outcome = _("passed") if data.get("passed") else _("not passed")
        return _("Graduation assessment concluded: %(result)s, %(outcome)s") % {
            "result": data.get("result", "—"),
            "outcome": outcome,
        }


class SpotCheckDrawFormatter(LogFormatter):
    """History line of a spot-check draw: how many were drawn, and the seed."""

    label = _("Draw spot checks")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("Drawn: %(count)s organizations (seed %(seed)s)") % {
            "count": data.get("count", "—"),
            "seed": data.get("seed", "—"),
        }
