"""The finance role (财务人员): its group; permissions follow core.roles after migrate."""

from django.db import migrations


def create_finance_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="财务人员")


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_awards_purchases"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_finance_group, migrations.RunPython.noop)]
