from django.db import migrations


def setup(apps, schema_editor):
    from cms.moderation import moderation_setup

    moderation_setup(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("core", "0003_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
