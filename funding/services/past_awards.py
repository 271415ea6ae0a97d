"""Past awards recorded as made (a province's history brought in), with their real
dates: the fund and call they belong to, the award and what was already paid.

This is the one path by which an award exists without a review or a public notice
on the platform: no eligibility check runs (a 2023 award is not "submitted today"),
no funding line is drawn. The award is marked `imported`; its application is
created in `lifecycle.RECORDED_AWARD_STATUS`; the money rule of every award still
holds (paid ≤ awarded, DESIGN.md "Award & disbursement").
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.money import HUNDRED, yuan_text
from funding.choices import FundSource
from funding.errors import FundingError
from funding.lifecycle import RECORDED_AWARD_STATUS
from funding.models import Application, Award, Call, Disbursement, Fund, Tranche
from funding.models.awards import DisbursementStatus, TrancheCondition
from funding.services.tranches import tranche_amounts

# Words in a fund's name that tell its source, first match wins; a name without
# any of them is the provincial lottery fund, the most common in a province's files.
SOURCE_WORDS = (
    ("公益创投", FundSource.VENTURE),
    ("中央财政", FundSource.CENTRAL),
    ("购买服务", FundSource.SERVICE_PURCHASE),
    ("县", FundSource.LOTTERY_COUNTY),
    ("区", FundSource.LOTTERY_COUNTY),
    ("市", FundSource.LOTTERY_CITY),
)


def fund_source_guess(name):
    """The `FundSource` a new fund named `name` gets: by the words of SOURCE_WORDS
    (公益创投, 中央财政, 购买服务, then 县/区 → county, 市 → city lottery fund),
    otherwise the provincial lottery fund. The import's preview names the source
    it chose, for the officer to confirm."""
    for word, source in SOURCE_WORDS:
        if word in name:
            return source
    return FundSource.LOTTERY_PROVINCE


# The China Welfare Lottery, whose public-welfare fund these awards come from,
# began in 1987: an earlier date is a typing error.
EARLIEST_DATE = datetime.date(1987, 1, 1)


def past_call_name(fund_name, year):
    """The name of the call created for past awards whose file names no call:
    e.g. "2023年 湖南省福彩公益金（历史立项）"."""
    name = _("%(year)s %(fund)s (past awards)") % {"year": year, "fund": fund_name}
    return name[: Call._meta.get_field("name").max_length]


def past_award_refusals(*, amount, awarded_on, paid_amount=None, paid_on=None):
    """Why a past award cannot be recorded as given, as {field: message}; empty
    when it can. Fields: "amount", "awarded_on", "paid_amount", "paid_on".

    Rules: the amount (元) is more than zero; the award and payment dates are not
    in the future nor before `EARLIEST_DATE`; what was paid is at most the amount awarded and not negative;
    a payment has its date, not before the award's. The importer reports these per
    cell; `past_award_record` enforces them."""
    today = timezone.localdate()
    refusals = {}
    if amount is not None and amount <= 0:
        refusals["amount"] = _("The amount must be more than zero.")
    if awarded_on is not None and awarded_on > today:
        refusals["awarded_on"] = _(
            "%(day)s is in the future: a past award has the date it was made."
        ) % {"day": awarded_on}
    for field, day in (("awarded_on", awarded_on), ("paid_on", paid_on)):
        if day is not None and day < EARLIEST_DATE:
            refusals[field] = _(
                "%(day)s is before 1987, when the welfare lottery began."
            ) % {"day": day}
    if paid_amount:
        if paid_amount < 0:
            refusals["paid_amount"] = _("The amount paid cannot be negative.")
        elif amount is not None and paid_amount > amount:
            refusals["paid_amount"] = _(
                "%(paid)s yuan paid is more than the %(amount)s yuan awarded."
            ) % {"paid": yuan_text(paid_amount), "amount": yuan_text(amount)}
        if paid_on is None:
            refusals["paid_on"] = _("Give the date of the payment.")
    if paid_on is not None:
        if not paid_amount:
            refusals.setdefault(
                "paid_amount", _("A payment date is given: give the amount paid.")
            )
        if "paid_on" in refusals:
            pass  # before 1987: said once
        elif paid_on > today:
            refusals["paid_on"] = _(
                "%(day)s is in the future: a payment already made has its date."
            ) % {"day": paid_on}
        elif awarded_on is not None and paid_on < awarded_on:
            refusals["paid_on"] = _(
                "Paid on %(paid)s, before the award was made on %(awarded)s."
            ) % {"paid": paid_on, "awarded": awarded_on}
    return refusals


@transaction.atomic
def past_call_get_or_create(
    *, fund_name, year, call_name="", fund_budget, call_budget, first_awarded_on, user
):
    """The fund `fund_name` of `year` and its call `call_name` (or the call for
    past awards, `past_call_name`), created when missing.

    A new fund gets `fund_source_guess(fund_name)` and `fund_budget` (元, the
    awards the file records for it); a new call runs from and to
    `first_awarded_on` (its real dates are not in the file; it is closed, so it
    takes no applications), with `call_budget` (元) as its total and maximum per
    award, and its review closed. Existing
    funds and calls are used as they are. Returns (call, fund_created,
    call_created)."""
    fund, fund_created = Fund.objects.get_or_create(
        name=fund_name,
        year=year,
        defaults={"source": fund_source_guess(fund_name), "budget": fund_budget},
    )
    if fund_created:
        fund._history_user = user
        fund.save()  # a second save, so that history has the user
    name = call_name or past_call_name(fund_name, year)
    call = Call.objects.filter(fund=fund, name=name).order_by("pk").first()
    if call is not None:
        return call, fund_created, False
    call = Call(
        fund=fund,
        name=name,
        opens_on=first_awarded_on,
        closes_on=first_awarded_on,
        total_budget=call_budget,
        max_per_award=call_budget,
        review_closed_at=_start_of(first_awarded_on),
    )
    call._history_user = user
    call.save()
    return call, fund_created, True


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def past_award_record(
    *,
    call,
    organization,
    title,
    amount,
    awarded_on,
    user,
    agreement_number="",
    paid_amount=None,
    paid_on=None,
):
    """Record a past award of `amount` 元 made on `awarded_on` to `organization`
    in `call`, and what was paid of it by `paid_on`.

    Creates the application (requested = approved = `amount`, decided on
    `awarded_on`, in `RECORDED_AWARD_STATUS`), its award marked `imported` with no
    public notice, one tranche of 100 % and, when `paid_amount` is given, one paid
    disbursement dated `paid_on`. Every record's history names `user`.

    Raises FundingError ({field: message}) for the rules of
    `past_award_refusals`, and when the call already has an application of this
    organization with this title (the award's natural key: fund, year, title,
    organization)."""
    refusals = past_award_refusals(
        amount=amount, awarded_on=awarded_on, paid_amount=paid_amount, paid_on=paid_on
    )
    if refusals:
        raise FundingError({field: [message] for field, message in refusals.items()})
    if Application.objects.filter(
        call__fund=call.fund, organization=organization, title=title
    ).exists():
        raise FundingError(
            {
                "title": [
                    _(
                        "%(fund)s already has “%(title)s” of this organization: it is "
                        "recorded once."
                    )
                    % {"fund": call.fund, "title": title}
                ]
            }
        )
    decided_at = _start_of(awarded_on)
    application = Application(
        call=call,
        organization=organization,
        title=title,
        requested_amount=amount,
        approved_amount=amount,
        status=RECORDED_AWARD_STATUS,
        decided_by=user,
        decided_at=decided_at,
        decision_note=_("Past award recorded by import."),
    )
    application._history_user = user
    application.save()
    award = Award(
        application=application,
        notice=None,
        imported=True,
        approved_amount=amount,
        awarded_on=awarded_on,
        agreement_number=agreement_number or "",
    )
    award._history_user = user
    award.save()
    tranche = Tranche(
        award=award,
        sort_order=0,
        percentage=HUNDRED,
        amount=amount,
        condition=TrancheCondition.SIGNING,
        note=_("Past award: the schedule was not recorded."),
    )
    tranche._history_user = user
    tranche.save()
    if paid_amount and paid_amount > Decimal("0"):
        disbursement = Disbursement(
            tranche=tranche,
            amount=paid_amount,
            status=DisbursementStatus.PAID,
            paid_on=paid_on,
            recorded_by=user,
            note=_("Past payment recorded by import."),
        )
        disbursement._history_user = user
        disbursement.save()
    log(award, "funding.award_recorded", user=user)
    return award


# What a spreadsheet may change on a recorded past award: its key (fund, year,
# project name, organization) names it, and its call stays.
PAST_AWARD_FIELDS = (
    "amount",
    "awarded_on",
    "agreement_number",
    "paid_amount",
    "paid_on",
)


def _past_award_state(award):
    """The stored award in the terms of `PAST_AWARD_FIELDS` (None for empty)."""
    return {
        "amount": award.approved_amount,
        "awarded_on": award.awarded_on,
        "agreement_number": award.agreement_number or None,
        "paid_amount": award.paid_total or None,
        "paid_on": award.last_paid_on,
    }


def _payments_as_imported(award):
    """Whether the award's schedule and payments are still as the import wrote
    them: one tranche, and no payment that went through the platform's approval
    (an imported payment is paid with no approver)."""
    if award.tranches.count() != 1:
        return False
    return not (
        Disbursement.objects.filter(tranche__award=award)
        .exclude(status=DisbursementStatus.PAID, approved_by=None)
        .exists()
    )


def past_award_update_refusals(award, changes):
    """Why `changes` ({field: new value} over `PAST_AWARD_FIELDS`, None for an
    empty cell) cannot be made to the stored `award`, as {field: message}; empty
    when they can. Fields equal to the stored ones are no change.

    Rules (update by key, docs/imports.md; DESIGN.md "Award & disbursement"): only an award
    recorded by import is changed by import — one made through a call went through
    its review and public notice, and is changed on its own screen; the rules of
    `past_award_refusals` hold for the award as changed; the amount stays at
    least what is recorded, approved or paid against it; what was paid changes
    only while the payments are the import's own (one tranche, no payment
    approved on the platform), and a recorded payment is not removed; a
    terminated award is not changed at all (its amount and what was paid by its
    termination are closed, DESIGN.md "Award & disbursement")."""
    stored = _past_award_state(award)
    changed = {f: v for f, v in changes.items() if f in stored and v != stored[f]}
    if not changed:
        return {}
    first = next(iter(changed))
    if not award.imported:
        return {
            first: _(
                "“%(award)s” was awarded on the platform, through its call's review "
                "and public notice: an import does not change it (change it on the "
                "award's screen)."
            )
            % {"award": award}
        }
    if award.terminated_on is not None:
        return {
            first: _(
                "“%(award)s” was terminated on %(day)s (%(paid)s yuan paid by then): "
                "an import does not change it."
            )
            % {
                "award": award,
                "day": award.terminated_on,
                "paid": yuan_text(award.paid_at_termination or 0),
            }
        }
    merged = {**stored, **changed}
    if merged["awarded_on"] is None:
        return {
            "awarded_on": _(
                "A recorded award keeps the date it was made: the cell cannot be "
                "emptied."
            )
        }
    refusals = past_award_refusals(
        amount=merged["amount"],
        awarded_on=merged["awarded_on"],
        paid_amount=merged["paid_amount"],
        paid_on=merged["paid_on"],
    )
    held = award.committed_total
    if "amount" in changed and merged["amount"] < held:
        refusals.setdefault(
            "amount",
            _(
                "%(held)s yuan is already recorded, approved or paid against this "
                "award: the amount cannot be less."
            )
            % {"held": yuan_text(held)},
        )
    if "amount" in changed and "amount" not in refusals:
        short = _tranche_short_of(award, merged["amount"])
        if short is not None:
            refusals["amount"] = _(
                "“%(tranche)s” would be %(amount)s yuan, less than the %(held)s yuan "
                "recorded, approved or paid against it."
            ) % {
                "tranche": short[0],
                "amount": yuan_text(short[1]),
                "held": yuan_text(short[0].committed_total),
            }
    paid_changed = "paid_amount" in changed or "paid_on" in changed
    if paid_changed and not _payments_as_imported(award):
        refusals.setdefault(
            "paid_amount",
            _(
                "The payments of this award are made on the platform now: they are "
                "changed there, not by an import."
            ),
        )
    elif paid_changed and stored["paid_amount"] and not merged["paid_amount"]:
        refusals.setdefault(
            "paid_amount",
            _(
                "%(paid)s yuan paid on %(day)s is recorded: an import does not "
                "remove a payment; give the amount that was paid."
            )
            % {"paid": yuan_text(stored["paid_amount"]), "day": stored["paid_on"]},
        )
    return refusals


@transaction.atomic
def past_award_update(award, *, changes, user):
    """Bring a past award recorded by import to `changes` ({field: new value}
    over `PAST_AWARD_FIELDS`; fields left out stay as they are): the amount (元;
    the application's requested and approved amounts and the tranche follow),
    the award date (the decision's date follows), the agreement number, and
    what was paid (元) by when (the import's one paid disbursement, created when
    there was none). Every record's history names `user`.

    Raises FundingError ({field: message}) for the rules of
    `past_award_update_refusals`. Returns the award."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    refusals = past_award_update_refusals(award, changes)
    if refusals:
        raise FundingError({field: [message] for field, message in refusals.items()})
    stored = _past_award_state(award)
    changed = {f: v for f, v in changes.items() if f in stored and v != stored[f]}
    if not changed:
        return award
    application = award.application
    if "amount" in changed:
        award.approved_amount = changed["amount"]
        application.requested_amount = application.approved_amount = changed["amount"]
        _tranches_follow(award, changed["amount"], user)
    if "awarded_on" in changed:
        award.awarded_on = changed["awarded_on"]
        application.decided_at = _start_of(changed["awarded_on"])
    if "agreement_number" in changed:
        award.agreement_number = changed["agreement_number"] or ""
    if {"amount", "awarded_on"} & set(changed):
        application._history_user = user
        application.save()
    award._history_user = user
    award.save()
    if "paid_amount" in changed or "paid_on" in changed:
        _imported_payment_set(
            award,
            amount=changes.get("paid_amount", stored["paid_amount"]),
            paid_on=changes.get("paid_on", stored["paid_on"]),
            user=user,
        )
    return award


def _tranches_at(award, amount):
    """The award's tranches, in order, with their amounts (元) for an award of
    `amount`: each its percentage of it (`tranche_amounts`)."""
    tranches = list(award.tranches.order_by("sort_order", "pk"))
    amounts = tranche_amounts(amount, [t.percentage for t in tranches])
    return list(zip(tranches, amounts, strict=True))


def _tranche_short_of(award, amount):
    """The first (tranche, new amount) whose new amount is less than what is held
    against it, or None."""
    for tranche, new in _tranches_at(award, amount):
        if new < tranche.committed_total:
            return tranche, new
    return None


def _tranches_follow(award, amount, user):
    for tranche, new in _tranches_at(award, amount):
        if tranche.amount != new:
            tranche.amount = new
            tranche._history_user = user
            tranche.save()


def _imported_payment_set(award, *, amount, paid_on, user):
    """The import's one paid disbursement of `award` at `amount` 元 on `paid_on`."""
    disbursement = Disbursement.objects.filter(tranche__award=award).first()
    if disbursement is None:
        disbursement = Disbursement(
            tranche=award.tranches.get(),
            status=DisbursementStatus.PAID,
            recorded_by=user,
            note=_("Past payment recorded by import."),
        )
    disbursement.amount = amount
    disbursement.paid_on = paid_on
    disbursement._history_user = user
    disbursement.save()
