"""`manage.py notify_report_deadlines`: remind organizations of award reports due
soon (run daily)."""

from django.core.management.base import BaseCommand

from funding.services.notifications import (
    REPORT_DUE_DAYS,
    report_deadline_reminders_send,
)


class Command(BaseCommand):
    """Cron runs this once a day (e.g. ``0 8 * * * manage.py
    notify_report_deadlines``); running it again tells no one twice: one reminder
    per award, kind of report and due date (`report_deadline_reminders_send`)."""

    help = "Remind organizations of mid-term and final reports due within 14 days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REPORT_DUE_DAYS,
            help="Remind when the report is due at most this many days away.",
        )

    def handle(self, *args, days, **options):
        made = report_deadline_reminders_send(days=days)
        self.stdout.write(f"{made} reminder(s) made.")
