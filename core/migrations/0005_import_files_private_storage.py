"""Private files off every public path (issue 13 item 8): import files move from the
default storage (MEDIA_ROOT, served at /media/ by `make run`) to the private storage,
and Wagtail documents on disk from MEDIA_ROOT/documents/ to
PRIVATE_MEDIA_ROOT/documents/ (core.storage.MediaStorage reads them there). Stored
names do not change, so every link keeps working."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import core.storage


def move_files(apps, schema_editor):
    from django.core.files.storage import default_storage

    private = core.storage.private_storage()
    ImportJob = apps.get_model("core", "ImportJob")
    for job in ImportJob.objects.exclude(file="").iterator():
        name = job.file.name
        try:
            if private.exists(name) or not default_storage.exists(name):
                continue
            with default_storage.open(name, "rb") as source:
                saved = private.save(name, source)
        except (OSError, NotImplementedError):
            continue  # a missing file stays missing; nothing else is touched
        if saved != name:
            ImportJob.objects.filter(pk=job.pk).update(file=saved)
        default_storage.delete(name)

    # Documents on disk: only when the default storage is MediaStorage.
    if settings.STORAGES["default"]["BACKEND"] != "core.storage.MediaStorage":
        return
    old = Path(settings.MEDIA_ROOT) / "documents"
    new = core.storage.private_media_root() / "documents"
    if not old.is_dir():
        return
    for path in old.rglob("*"):
        target = new / path.relative_to(old)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(target))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_importjob_heartbeat"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                storage=core.storage.private_storage,
                upload_to="imports/%Y/%m/",
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
