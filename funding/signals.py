"""Files linked to applications, agreements and reports are internal documents;
a call's own application form is versioned when it changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.documents import document_keep_internal
from funding.models import Attachment, Award, AwardReport, Call


@receiver(post_save, sender=Attachment)
@receiver(post_save, sender=AwardReport)
def _attachment_document_internal(sender, instance, **kwargs):
    document_keep_internal(instance.document)


@receiver(post_save, sender=Award)
def _agreement_document_internal(sender, instance, **kwargs):
    document_keep_internal(instance.agreement_document)


@receiver(post_save, sender=Call)
def _call_form_versioned(sender, instance, raw=False, **kwargs):
    """A call's own application form is kept as numbered versions: a changed form
    is a new version at once (`call_form_version_current`), so the applications
    already written against the old one keep their questions."""
    if raw:
        return
    if len(instance.application_form) or instance.form_versions.exists():
        from funding.services.portal import call_form_version_current

        call_form_version_current(instance)
