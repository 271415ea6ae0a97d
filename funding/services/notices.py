"""Public notice (公示) and objections: publishing puts every approved application
of a call on notice for a number of working days; closing makes the awards that
no open objection holds."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.services.announcements import announcement_page_schedule
from core.fields import text_refusals
from core.workdays import add_working_days
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Application, Award, Call, Objection, PublicNotice
from funding.models.awards import ObjectionStatus
from funding.services.applications import application_move
from funding.services.notifications import award_made_notify, objection_received_notify


def working_days_end(start, days):
    """The last day of a period of `days` working days starting on `start`
    (counted when it is a working day), on China's official holiday and make-up
    workday calendar: `core.workdays.add_working_days`, where a year the calendar
    does not carry yet is counted with weekends only (the screens say so)."""
    return add_working_days(start, days)[0]


@transaction.atomic
def notice_publish(call, *, title, starts_on, working_days, objection_contact, user):
    """Put every approved application of the call on public notice; each gets its
    award record (amount = the approved amount). After the commit the notice gets
    its page in the public site's 公示公告 (`cms.services.announcements`)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not working_days or int(working_days) < 1:
        raise FundingError({"working_days": [_("Give at least one working day.")]})
    if not objection_contact.strip():
        raise FundingError(
            {"objection_contact": [_("Say who receives objections and how.")]}
        )
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status=S.APPROVED)
        .order_by("pk")
    )
    if not applications:
        raise FundingError(_("The call has no approved applications to publish."))
    notice = PublicNotice(
        call=call,
        title=title,
        starts_on=starts_on,
        working_days=int(working_days),
        ends_on=working_days_end(starts_on, int(working_days)),
        objection_contact=objection_contact,
        published_by=user,
    )
    notice._history_user = user
    notice.save()
    for application in applications:
        award = Award(
            application=application,
            notice=notice,
            approved_amount=application.approved_amount,
        )
        award._history_user = user
        award.save()
        application_move(application, S.IN_PUBLIC_NOTICE, user=user)
    log(notice, "funding.notice_published", user=user)
    # Its page in 公示公告, once the notice is committed (cms site settings say
    # whether it is published at once or moderated).
    announcement_page_schedule(notice, user=user)
    return notice


def _award_make(award, on, user):
    award.awarded_on = on
    award._history_user = user
    award.save(update_fields=["awarded_on"])
    application_move(award.application, S.AWARDED, user=user)
    award_made_notify(award, actor=user)


@transaction.atomic
def objection_record(award, *, received_on, objector, content, user):
    award = Award.objects.select_for_update().get(pk=award.pk)
    notice = award.notice
    if award.application.status != S.IN_PUBLIC_NOTICE:
        raise FundingError(
            _("Objections are recorded only while the award is on public notice.")
        )
    if not (notice.starts_on <= received_on <= notice.ends_on):
        raise FundingError(
            {
                "received_on": [
                    _(
                        "The notice ran from %(start)s to %(end)s; an objection "
                        "received on %(day)s is outside it."
                    )
                    % {
                        "start": notice.starts_on,
                        "end": notice.ends_on,
                        "day": received_on,
                    }
                ]
            }
        )
    if not content.strip():
        raise FundingError({"content": [_("Write down the objection.")]})
    too_long = text_refusals(Objection, objector=objector)
    if too_long:
        raise FundingError(too_long)
    objection = Objection(
        award=award, received_on=received_on, objector=objector, content=content
    )
    objection._history_user = user
    objection.save()
    log(award, "funding.objection", user=user, data={"objector": objector})
    objection_received_notify(objection, actor=user)
    return objection


@transaction.atomic
def objection_resolve(objection, *, upheld, note, user, on=None):
    """Upheld: the application is rejected. Dismissed: once the notice has ended and
    no other objection is open, the award is made."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    award = Award.objects.select_for_update().get(pk=objection.award_id)
    if objection.status != ObjectionStatus.OPEN:
        raise FundingError(_("This objection has already been resolved."))
    if not note.strip():
        raise FundingError({"note": [_("Give the reason for this decision.")]})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution_note = note
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection._history_user = user
    objection.save()
    log(award, "funding.objection_resolved", user=user, data={"upheld": upheld})
    on = on or timezone.localdate()
    if upheld:
        application_move(award.application, S.REJECTED, user=user, note=note)
    elif award.notice.closed_on and not award.objections.filter(
        status=ObjectionStatus.OPEN
    ):
        _award_make(award, on, user)
    return objection


@transaction.atomic
def notice_close(notice, *, user, on=None):
    """After the notice period: award every application without an open objection;
    the others stay held until their objections are resolved."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    on = on or timezone.localdate()
    if notice.closed_on:
        raise FundingError(_("This notice is already closed."))
    if on <= notice.ends_on:
        raise FundingError(
            _("The notice period runs until %(end)s; it can be closed after that.")
            % {"end": notice.ends_on}
        )
    notice.closed_on = on
    notice._history_user = user
    notice.save(update_fields=["closed_on"])
    awarded, held = [], []
    for award in notice.awards.select_for_update().select_related("application"):
        if award.application.status != S.IN_PUBLIC_NOTICE:
            continue
        if award.objections.filter(status=ObjectionStatus.OPEN).exists():
            held.append(award)
        else:
            _award_make(award, on, user)
            awarded.append(award)
    log(notice, "funding.notice_closed", user=user)
    return awarded, held
