"""Files linked to applications, agreements and reports are internal documents."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.documents import document_keep_internal
from funding.models import Attachment, Award, AwardReport


@receiver(post_save, sender=Attachment)
@receiver(post_save, sender=AwardReport)
def _attachment_document_internal(sender, instance, **kwargs):
    document_keep_internal(instance.document)


@receiver(post_save, sender=Award)
def _agreement_document_internal(sender, instance, **kwargs):
    document_keep_internal(instance.agreement_document)
