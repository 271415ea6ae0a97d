"""Internal documents: files attached to applications, agreements and reports.

Wagtail serves every document at /documents/<id>/<name> to anyone unless its
collection is restricted. Documents linked to internal records are moved into the
内部文件 collection, which only the administrator, fund-manager and finance groups may
download through that URL; reviewers get attachments through the funding app's own
(blind) download view."""

from django.db import transaction

from core import roles

INTERNAL_COLLECTION = "内部文件"
INTERNAL_ROLES = (roles.ADMINISTRATOR, roles.FUND_MANAGER, roles.FINANCE)


def internal_collection():
    """The restricted collection, created (with its restriction) on first use."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    with transaction.atomic():
        collection = Collection.objects.filter(name=INTERNAL_COLLECTION).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(
                name=INTERNAL_COLLECTION
            )
        restriction = CollectionViewRestriction.objects.filter(
            collection=collection
        ).first()
        if restriction is None:
            restriction = CollectionViewRestriction.objects.create(
                collection=collection,
                restriction_type=CollectionViewRestriction.GROUPS,
            )
        restriction.groups.set(
            Group.objects.filter(
                name__in=[roles.GROUP_NAMES[r] for r in INTERNAL_ROLES]
            )
        )
    return collection


def document_keep_internal(document):
    """Move a document into the restricted collection (no-op when already there)."""
    if document is None:
        return
    collection = internal_collection()
    if document.collection_id != collection.pk:
        document.collection = collection
        document.save(update_fields=["collection"])
