"""`manage.py notify_review_deadlines`: remind reviewers of reviews due soon (run daily)."""

from django.core.management.base import BaseCommand

from funding.services.notifications import (
    REMINDER_DAYS,
    review_deadline_reminders_send,
)


class Command(BaseCommand):
    """Cron runs this once a day (e.g. ``0 8 * * * manage.py
    notify_review_deadlines``); running it again the same day tells no one twice:
    one reminder per review and deadline (`review_deadline_reminders_send`)."""

    help = "Remind reviewers of pending reviews whose deadline is near."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REMINDER_DAYS,
            help="Remind when the review deadline is at most this many days away.",
        )

    def handle(self, *args, days, **options):
        made = review_deadline_reminders_send(days=days)
        self.stdout.write(f"{made} reminder(s) made.")
