"""Internal documents: files attached to applications, agreements and reports.

Who needs them (DESIGN §1 and §3 "private files are never on a
public path"): the **fund manager** (applications' attachments, award agreements,
award reports — the work of §1's fund manager), **finance** (reads the agreement
before paying a tranche) and the **administrator**. Nobody else: the editor publishes
the public site and has no business with applicants' files; reviewers get the
attachments of their own assignments through the funding app's blind download view;
operators and coordinators keep their files elsewhere (incubator, projects' private
evidence).

Two collections hold every document (`core.roles.DOCUMENT_COLLECTIONS` grants them):

- 内部文件 (`core.roles.INTERNAL_COLLECTION`): documents linked to internal records are moved
  here (`document_keep_internal`); a collection view restriction lets only the roles
  above download them, and only they hold admin permissions on it;
- 公开文件 (`core.roles.PUBLIC_COLLECTION`): the editor's documents for the public site.

Wagtail grants document permissions per collection subtree, so a role granted on the
root would also reach 内部文件: no role but the administrator is granted there.
Moving a document between the two needs a permission on both (Wagtail offers in the
edit form only the collections the user may add to).

Whatever collection a document is in, `document_serve_refusal` refuses the download
URL to anyone outside `INTERNAL_ROLES` when the document is in 内部文件 (or below) or
is linked to an internal record (`INTERNAL_LINKS`)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core import roles
from core.roles import (  # migration core 0007 imports the two collections from here
    INTERNAL_COLLECTION,
    INTERNAL_ROLES,
    internal_collection,
    public_collection,  # noqa: F401 - read by migration core 0007
)

# (model label, document field): records whose documents are internal, wherever the
# document has been moved.
INTERNAL_LINKS = (
    ("funding.Attachment", "document"),
    ("funding.Award", "agreement_document"),
    ("funding.AwardReport", "document"),
)


def document_keep_internal(document):
    """Move a document into the restricted collection (no-op when already there)."""
    if document is None:
        return
    collection = internal_collection()
    if document.collection_id != collection.pk:
        document.collection = collection
        document.save(update_fields=["collection"])


def document_is_internal(document):
    """True when the document is in 内部文件 (or a collection below it) or linked to
    an internal record (`INTERNAL_LINKS`), whatever collection it was moved to."""
    from django.apps import apps
    from wagtail.models import Collection

    internal = Collection.objects.filter(name=INTERNAL_COLLECTION).first()
    if internal is not None and (
        document.collection_id == internal.pk
        or document.collection.is_descendant_of(internal)
    ):
        return True
    return any(
        apps.get_model(label)._default_manager.filter(**{field: document}).exists()
        for label, field in INTERNAL_LINKS
    )


def user_sees_internal_documents(user):
    """True for a superuser and the members of `INTERNAL_ROLES`' groups."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = [roles.GROUP_NAMES[r] for r in INTERNAL_ROLES]
    return user.groups.filter(name__in=names).exists()


def document_serve_refusal(document, request):
    """The refusal of Wagtail's download URL for an internal document, or None.

    Anonymous visitors are sent to the login page; a logged-in user outside
    `INTERNAL_ROLES` gets 403 (PermissionDenied)."""
    if user_sees_internal_documents(request.user) or not document_is_internal(document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
