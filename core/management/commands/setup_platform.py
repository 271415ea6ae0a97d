"""Install the reference data a real install needs, idempotently."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cms.moderation import moderation_ensure
from cms.services.announcements import announcement_pages_ensure
from cms.skeleton import site_skeleton_ensure
from core.roles import roles_ensure
from incubator.services.service_fields import service_fields_ensure
from projects.selectors.places import village_codes_loaded
from projects.services.indicators import indicator_catalogue_ensure


class Command(BaseCommand):
    help = (
        "Install the reference data a real install needs: service fields, the "
        "indicator catalogue, roles, the moderation workflow and the public site's "
        "pages. Idempotent: running it again adds nothing. Villages are not "
        "loaded here (620,573 of them): it says how to load them with load_villages."
    )

    def handle(self, *args, **options):
        """One service per app, in dependency order: the moderation workflow is
        attached to the page tree's root, so it comes after the site skeleton.
        Everything or nothing (one transaction)."""
        with transaction.atomic():
            fields = service_fields_ensure()
            indicators = indicator_catalogue_ensure()
            roles_ensure()
            pages = site_skeleton_ensure()
            moderation_ensure()
            # every call and 公示 recorded before the public site made their pages
            announced = announcement_pages_ensure()
        self.stdout.write(
            f"setup_platform: {len(fields)} service fields, "
            f"{len(indicators)} indicators, {Group.objects.count()} role groups, "
            f"{len(pages)} site pages, moderation workflow in place, "
            f"{announced['calls']} call and {announced['notices']} notice pages made"
        )
        if not village_codes_loaded():
            self.stdout.write(
                _(
                    "Villages are not loaded: run “manage.py load_villages --province "
                    "43” for the provinces you work in (43: Hunan), or without "
                    "--province for the whole country (620,573 villages, minutes)."
                )
            )
