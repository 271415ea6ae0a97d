"""Create the demo data of every app, idempotently."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

# Each app may have a `demo.py` with `seed(stdout)`; they run in this order.
DEMO_APPS = ["core", "incubator", "funding", "projects", "cms"]


class Command(BaseCommand):
    help = "Create demo data (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        from django.utils import timezone

        from core.models import Notification

        started = timezone.now()
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(self.stdout)
            # The demo's history (reviews assigned, payments approved and paid years
            # ago) is done work: its notifications are read, not a pile of 143
            # unread items. What still waits is in each dashboard's inbox.
            Notification.objects.filter(
                created_at__gte=started, read_at__isnull=True
            ).update(read_at=timezone.now())
        from core.demo import logins

        with translation.override("zh-hans"):
            self.stdout.write("Demo logins (http://127.0.0.1:8000/admin/):")
            for username, password, label in logins():
                self.stdout.write(f"  {label:<12} {username:<12} {password}")
