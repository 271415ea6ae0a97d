"""The core app: installs choosers, CSP, number/export guards, name order at startup."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        from core import choosers, wagtail_csp
        from core.numbers import install_form_field

        choosers.install()
        from core import people

        people.install()
        wagtail_csp.install()
        from core import admin_sidebar

        admin_sidebar.install()
        install_form_field()  # before any app's admin forms are built
        from core.spreadsheets import install_export_guard

        install_export_guard()
        from core.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
        from core.search import substring_indexes_repair

        post_migrate.connect(substring_indexes_repair, sender=self)
