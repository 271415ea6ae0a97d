from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_with_project_permissions(sender, using="default", **kwargs):
    """core syncs the roles when core is migrated, before this app's permissions
    exist on a fresh database: create them and sync again."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from core.roles import sync_roles

    create_permissions(sender, verbosity=0, using=using)
    sync_roles(Group, Permission)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Rural revitalization")

    def ready(self):
        from projects import importers  # noqa: F401 - registers the importer

        post_migrate.connect(_sync_roles_with_project_permissions, sender=self)
