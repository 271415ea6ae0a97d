from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync_incubation_permissions(apps, schema_editor):
    """Give the role groups the incubation permissions on a fresh database (core's
    post-migrate sync runs before the permissions of later apps exist)."""
    from core.roles import sync_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0002_incubation"),
        ("core", "0003_role_groups"),
    ]

    operations = [
        migrations.RunPython(sync_incubation_permissions, migrations.RunPython.noop)
    ]
