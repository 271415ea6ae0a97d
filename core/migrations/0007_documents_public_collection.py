"""Issue 13, item 2: the editor's document permissions move from the root collection
(which covered 内部文件) to 公开文件. Documents kept directly in the root move to
公开文件 — or to 内部文件 when an internal record links them — so editors keep the
public ones and never reach the others."""

from django.db import migrations


def move_root_documents(apps, schema_editor):
    from core.documents import (
        INTERNAL_LINKS,
        internal_collection,
        public_collection,
    )

    Document = apps.get_model("wagtaildocs", "Document")  # noqa: N806
    Collection = apps.get_model("wagtailcore", "Collection")  # noqa: N806
    root = Collection.objects.filter(depth=1).first()
    if root is None or not Document.objects.filter(collection=root).exists():
        return
    linked = set()
    for label, field in INTERNAL_LINKS:
        model = apps.get_model(label)
        linked.update(
            model.objects.filter(**{f"{field}__isnull": False}).values_list(
                f"{field}_id", flat=True
            )
        )
    at_root = Document.objects.filter(collection=root)
    at_root.filter(pk__in=linked).update(collection_id=internal_collection().pk)
    at_root.exclude(pk__in=linked).update(collection_id=public_collection().pk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_importjob_error_count"),
        ("funding", "0003_finance_role"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(move_root_documents, migrations.RunPython.noop)
    ]
