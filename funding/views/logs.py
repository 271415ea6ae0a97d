"""How the funding entries of Wagtail's log read (the status moves)."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from funding.choices import ApplicationStatus


class StatusFormatter(LogFormatter):
    """ "Status: 已提交 → 形式审查合格（note）" from a `funding.status` entry."""

    label = _("Status changed")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        labels = dict(ApplicationStatus.choices)
        message = _("Status: %(from)s → %(to)s") % {
            "from": labels.get(data.get("from"), data.get("from")),
            "to": labels.get(data.get("to"), data.get("to")),
        }
        if data.get("note"):
            message = f"{message}（{data['note']}）"
        return message
