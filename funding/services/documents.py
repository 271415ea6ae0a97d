"""Document numbers (文号): issued once per printed record, kept for every reprint.

The scheme (GB/T 9704-2012 党政机关公文格式, 7.2.4 发文字号: the issuing department's
code, the year in 六角括号 〔〕, the sequence number without leading zeros or 第):

- the public notice, the ranking with the funding line and the award letter are the
  department's documents: ``<prefix>〔<year>〕<n>号`` (湘民福彩〔2026〕12号), one
  sequence per prefix and year shared by the three kinds;
- score sheets are forms, numbered in their own series so that hundreds of sheets
  do not consume the department's document numbers: ``<prefix>评〔<year>〕<n>号``.

`<prefix>` is the call's fund's `document_prefix`, `<year>` the year the number is
first issued. A record keeps its number for good (`DocumentNumber`), so the same
document reprinted shows the same number; a new record (another review, a line
drawn again, another notice or award) gets the next one.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.errors import FundingError
from funding.models.documents import DocumentKind, DocumentNumber

#: The mark added to the prefix for the kinds numbered in their own series.
SERIES_MARK = {DocumentKind.SCORE_SHEET: "评"}

#: How a number reads (GB/T 9704-2012 7.2.4).
NUMBER_FORMAT = "{series}〔{year}〕{sequence}号"

#: How often a number is retried when another print took the same one meanwhile.
ATTEMPTS = 5


def document_number_issue(*, kind, record, fund, user):
    """The `DocumentNumber` of `record` printed as a `kind` document, issued now if
    it has none (then the next sequence number of its series and year).

    `record` is the Review (score sheet), FundingLine (ranking), PublicNotice or
    Award (letter) printed; `fund` the fund of its call, whose `document_prefix`
    starts the number. Raises FundingError when the fund has no prefix yet (a
    document without a number cannot be signed or posted). Safe against two
    prints at once: the database's unique constraints decide, and the loser reads
    or retries."""
    existing = DocumentNumber.objects.filter(kind=kind, object_id=record.pk).first()
    if existing is not None:
        return existing
    prefix = (fund.document_prefix or "").strip()
    if not prefix:
        raise FundingError(
            _(
                "The fund “%(fund)s” has no document number prefix (机关代字) yet: "
                "set it on the fund before printing."
            )
            % {"fund": fund}
        )
    series = prefix + SERIES_MARK.get(kind, "")
    year = timezone.localdate().year
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                last = DocumentNumber.objects.filter(
                    series=series, year=year
                ).aggregate(last=Max("sequence"))["last"]
                sequence = (last or 0) + 1
                return DocumentNumber.objects.create(
                    kind=kind,
                    object_id=record.pk,
                    series=series,
                    year=year,
                    sequence=sequence,
                    number=NUMBER_FORMAT.format(
                        series=series, year=year, sequence=sequence
                    ),
                    issued_by=user if user and user.pk else None,
                )
        except IntegrityError:
            existing = DocumentNumber.objects.filter(
                kind=kind, object_id=record.pk
            ).first()
            if existing is not None:
                return existing
    raise FundingError(_("The document number could not be issued: try again."))
