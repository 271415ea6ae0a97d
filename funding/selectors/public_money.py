"""Public money: which awards the public site counts, and for how much.

Rule (DESIGN §2 Funding, award lifecycle): an award counts in the
public figures only once it is *made* — its application has reached 立项 (`awarded`)
or a later state (in progress, mid-term checked, completed, terminated). An award
still in public notice (公示, with or without an open objection), or approved but not
yet noticed, counts 0: it may still be refused.

- made and not terminated: its approved amount (元);
- terminated: what was actually paid — the amount recorded at termination
  (`Award.paid_at_termination`), or, where none was recorded (an imported award), the
  sum of its paid disbursements.

An award's year (`award_year`; the public figures count awards by award year) is the year
of its 立项 date (`Award.awarded_on`), or, where none was recorded, its fund's year. Money
is never grouped by a fund's name alone: 福彩公益金 2023 and 福彩公益金 2024 are two funds.

Every public number on money awarded reads `awards_made()` and its `public_amount`
annotation (the home page and statistics figures in `cms.selectors.figures`, the showcase
section of an organization), so the rule lives here once.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from core.money import money_output_field
from funding.choices import ApplicationStatus as S
from funding.models.awards import Award, Disbursement, DisbursementStatus

# 立项 and every state after it (funding/lifecycle.py TRANSITIONS).
MADE_STATUSES = (
    S.AWARDED,
    S.IN_PROGRESS,
    S.MIDTERM_CHECKED,
    S.COMPLETED,
    S.TERMINATED,
)

_MONEY = money_output_field()


def _paid_sum():
    """Subquery: the sum (元) of an award's disbursements marked paid."""
    return Subquery(
        Disbursement.objects.filter(
            tranche__award=OuterRef("pk"), status=DisbursementStatus.PAID
        )
        .order_by()
        .values("tranche__award")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=_MONEY,
    )


def awards_made(year=None):
    """Awards made (立项 and later), each annotated with `public_amount` (Decimal
    元): the approved amount, or what was paid for a terminated award; and with
    `award_year` (int): the year of 立项, else the fund's year. `year` (int) keeps
    the awards of that award year only; None keeps all.

    Returns a queryset of `funding.models.awards.Award`; callers may filter, group and
    `Sum("public_amount")` it."""
    zero = Value(Decimal("0"), output_field=_MONEY)
    awards = Award.objects.filter(application__status__in=MADE_STATUSES).annotate(
        public_amount=Case(
            When(
                application__status=S.TERMINATED,
                then=Coalesce("paid_at_termination", _paid_sum(), zero),
            ),
            default="approved_amount",
            output_field=_MONEY,
        ),
        award_year=Coalesce(
            ExtractYear("awarded_on"),
            F("application__call__fund__year"),
            output_field=IntegerField(),
        ),
    )
    if year:
        awards = awards.filter(award_year=year)
    return awards


def public_money_total(year=None):
    """The money awarded the public is told (Decimal 元; 0 when nothing is made),
    of one award year or of all (`year` None)."""
    total = awards_made(year).aggregate(total=Sum("public_amount"))["total"]
    return total or Decimal("0")


def public_money_summary(year=None):
    """{"organizations_funded": int, "money_awarded": Decimal 元} of the awards made
    in `year` (all years when None): organizations counted once however many
    awards they hold."""
    return awards_made(year).aggregate(
        organizations_funded=Count("application__organization", distinct=True),
        money_awarded=Coalesce(Sum("public_amount"), Value(Decimal("0"), _MONEY)),
    )


def public_money_by_fund(year=None):
    """[(fund label "2023 福彩公益金", Decimal 元)] of the awards made in `year` (all
    when None), largest first: one row per fund, i.e. per name *and* year."""
    rows = (
        awards_made(year)
        .values_list(
            "application__call__fund_id",
            "application__call__fund__year",
            "application__call__fund__name",
        )
        .annotate(total=Sum("public_amount"))
        .order_by()
    )
    labelled = [(f"{fund_year} {name}", total) for _pk, fund_year, name, total in rows]
    return sorted(labelled, key=lambda r: (-r[1], r[0]))
