"""Document numbers (文号) of the printed documents, kept so that a reprint keeps its
number; issued only by `funding.services.documents`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import user_fk


class DocumentKind(models.TextChoices):
    """What a printed document is; each kind numbers one kind of record."""

    SCORE_SHEET = "score_sheet", _("Score sheet")  # one Review
    RANKING = "ranking", _("Ranking with the funding line")  # one FundingLine
    NOTICE = "notice", _("Public notice")  # one PublicNotice
    AWARD_LETTER = "award_letter", _("Award letter")  # one Award


class DocumentNumber(models.Model):
    """The number (文号) a printed document was given the first time it was printed.

    `series` is the issuing department's code (the fund's `document_prefix`, plus a
    mark for score sheets, which are forms with their own series); `sequence`
    counts up from 1 per series and year of issue. `number` keeps the text as
    printed, so a later change of the fund's prefix does not renumber a document
    already signed or posted."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    series = models.CharField(_("series"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=60)
    issued_by = user_fk(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        ordering = ["series", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="document_number_once_per_record"
            ),
            models.UniqueConstraint(
                fields=["series", "year", "sequence"],
                name="document_number_sequence_unique",
            ),
        ]

    def __str__(self):
        return self.number
