"""Applying online (社会组织用户): the writes of an organization's own applications.

- `call_form_version_current(call)`: the version of the call's own form that new
  answers are written against (a new number when the form changed);
- `application_save(...)`: create or update a draft (or an application staff
  asked more information about) with its standard fields, budget lines, answers
  and files; never one that is submitted or decided (decided = frozen);
- `application_submit_online(...)`: the deadline (Asia/Shanghai, the closing day
  included to 23:59:59), the required answers and the eligibility rules
  (`funding.services.eligibility.eligibility_failures`, every failure listed), then
  submitted with a snapshot (`ApplicationSubmission`) and the notifications;
- `application_request_more_info(...)`: staff's "要求补充材料", with their note.

Every function runs in one transaction and raises `FundingError` with a message
for the user. Source of the rules: DESIGN.md §2 Funding "Applying online".
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from core.documents import document_keep_internal
from core.money import CENT, yuan_text
from core.notifications import NotificationKind, notify, permission_holders
from core.uploads import check_upload
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import DECIDED, ORGANIZATION_EDITABLE
from funding.models import (
    Application,
    ApplicationSubmission,
    Attachment,
    BudgetLine,
    Call,
    CallFormVersion,
)
from funding.permissions import MANAGE
from funding.services.applications import application_move
from funding.services.eligibility import eligibility_failures

#: Deadlines are read in the civil-affairs offices' time (DESIGN.md §3 "Dates").
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The largest file an organization may upload with its application (bytes): 20 MB,
#: the platform's request limit (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_FILE_SIZE = 20 * 1024 * 1024

#: The standard fields an organization fills (beyond budget lines, files, answers).
STANDARD_FIELDS = (
    "title",
    "summary",
    "requested_amount",
    "target_region",
    "beneficiaries",
    "beneficiary_count",
    "linked_projects",
)


def call_deadline(call):
    """The last moment a submission is accepted: the call's closing day, 23:59:59
    in Asia/Shanghai (an aware datetime, to the end of that second:
    23:59:59.999999). The closing day is included."""
    return datetime.datetime.combine(
        call.closes_on, datetime.time(23, 59, 59, 999999), tzinfo=SHANGHAI
    )


def call_opening(call):
    """The first moment the call accepts submissions: 00:00 of its opening day in
    Asia/Shanghai (an aware datetime)."""
    return datetime.datetime.combine(
        call.opens_on, datetime.time(0, 0), tzinfo=SHANGHAI
    )


def call_accepts(call, now=None):
    """Whether the call accepts submissions at `now` (default: now)."""
    now = now or timezone.now()
    return call_opening(call) <= now <= call_deadline(call)


def deadline_text(call):
    """The deadline as users read it, e.g. "2026-05-31 23:59:59（北京时间）"."""
    return _("%(deadline)s (Beijing time)") % {
        "deadline": call_deadline(call).strftime("%Y-%m-%d %H:%M:%S")
    }


@transaction.atomic
def call_form_version_current(call):
    """The `CallFormVersion` that holds the call's form as it is now: the latest
    version when its blocks are the same, else a new version numbered one more.
    Versions are never changed, so a submitted application's questions stay as
    they were asked."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    blocks = list(call.application_form.raw_data)
    latest = call.form_versions.order_by("-number").first()
    if latest is not None and latest.blocks == blocks:
        return latest
    return CallFormVersion.objects.create(
        call=call, number=(latest.number + 1) if latest else 1, blocks=blocks
    )


def _refusal_to_edit(application):
    """Why the organization may not edit `application` now, or None."""
    status = S(application.status)
    if status in ORGANIZATION_EDITABLE:
        return None
    if status in DECIDED:
        return _(
            "This application has been decided (“%(status)s”) and is frozen: it "
            "can no longer be changed."
        ) % {"status": status.label}
    return _(
        "This application is “%(status)s”: it can be changed only when it is a "
        "draft or when more information is requested."
    ) % {"status": status.label}


def _check_new(call, organization, now):
    if now > call_deadline(call):
        raise FundingError(
            _("The call closed at %(deadline)s: no new application can be started.")
            % {"deadline": deadline_text(call)}
        )
    if now < call_opening(call):
        raise FundingError(
            _("The call opens on %(opens)s.") % {"opens": call.opens_on.isoformat()}
        )
    limit = call.applications_per_organization
    if limit:
        made = (
            call.applications.filter(organization=organization)
            .exclude(status=S.WITHDRAWN)
            .count()
        )
        if made >= limit:
            raise FundingError(
                _(
                    "This call accepts at most %(limit)s application(s) per "
                    "organization; yours already has %(made)s."
                )
                % {"limit": limit, "made": made}
            )


def check_file(upload):
    """Refuse an uploaded file that is too large or of a type not accepted
    (`core.uploads.check_upload`). Raises ValidationError with the reason."""
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s MB; at most %(max)s MB is accepted.")
            % {
                "name": upload.name,
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "max": MAX_FILE_SIZE // (1024 * 1024),
            },
            code="upload_size",
        )
    check_upload(upload)


def _store_file(application, title, upload, user):
    """A checked upload as an internal document attached to the application."""
    try:
        check_file(upload)
    except ValidationError as exc:
        raise FundingError(
            _("%(name)s: %(reason)s") % {"name": upload.name, "reason": exc.messages[0]}
        ) from exc
    document = get_document_model().objects.create(
        title=title[:255] or upload.name, file=upload, uploaded_by_user=user
    )
    document_keep_internal(document)
    return Attachment.objects.create(
        application=application, title=(title or upload.name)[:200], document=document
    )


def _open_draft(call, organization):
    """The organization's draft application to `call` (locked), or None. The
    database holds at most one (`application_one_draft_per_call_organization`)."""
    return (
        Application.objects.select_for_update()
        .filter(call=call, organization=organization, status=S.DRAFT)
        .first()
    )


def _insert_draft(application, fields, user):
    """Store the new draft `application`; when another request stored the draft of
    the same organization and call first (the unique constraint refuses a second),
    return that one instead, locked, to be updated with this request's values."""
    for name in STANDARD_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    application.form_version = call_form_version_current(application.call)
    application._history_user = user
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        draft = _open_draft(application.call, application.organization)
        if draft is None:
            raise
        return draft
    return application


@transaction.atomic
def application_save(
    *,
    call,
    organization,
    user,
    fields,
    budget_lines,
    answers,
    application=None,
    files=(),
    remove_attachments=(),
    now=None,
):
    """Create (`application=None`) or update the organization's own application.
    Starting one while the organization has a draft to the same call (a double
    click, a second tab) continues that draft: one draft per organization and call,
    held by the database's unique constraint even when two requests race.

    `fields`: the `STANDARD_FIELDS` values (requested_amount a Decimal in 元);
    `budget_lines`: [(item, amount Decimal 元)] replacing the old lines; `answers`:
    {block id: answer} of the call's own questions (files as below); `files`:
    [(block id or "", title, UploadedFile)] — a block id makes the file that
    question's answer, "" an attachment; `remove_attachments`: attachment ids to
    drop. A new application is bound to the current form version; a draft moves to
    the current one whenever it is saved, an application sent back for more
    information keeps its own.

    Raises FundingError: the call closed or not open yet (new ones), the limit per
    organization reached, the application not editable (submitted, decided =
    frozen), an amount over the call's maximum, a file too large or of a type not
    accepted. Returns the application."""
    now = now or timezone.now()
    if application is None:
        # a double click or a second tab: the draft already begun is continued
        application = _open_draft(call, organization)
        if application is None:
            _check_new(call, organization, now)
            application = Application(call=call, organization=organization)
    else:
        application = Application.objects.select_for_update().get(
            pk=application.pk, organization=organization
        )
        refusal = _refusal_to_edit(application)
        if refusal:
            raise FundingError(refusal)
    amount = fields.get("requested_amount")
    if amount is not None and Decimal(amount) > call.max_per_award:
        raise FundingError(
            _(
                "Requested %(requested)s yuan, more than the call's maximum of %(max)s yuan."
            )
            % {"requested": yuan_text(amount), "max": yuan_text(call.max_per_award)}
        )
    if application.pk is None:
        application = _insert_draft(application, fields, user)
    for name in STANDARD_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    if application.status == S.DRAFT or application.form_version_id is None:
        application.form_version = call_form_version_current(call)
    kept = dict(application.answers or {})
    kept.update(answers)
    application._history_user = user
    application.answers = {}
    application.save()
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, item=item, amount=amount, sort_order=i)
        for i, (item, amount) in enumerate(budget_lines)
    )
    if remove_attachments:
        in_answers = {a.get("attachment") for a in kept.values() if isinstance(a, dict)}
        application.attachments.filter(pk__in=remove_attachments).exclude(
            pk__in=in_answers
        ).delete()
    for block_id, title, upload in files:
        attachment = _store_file(application, title, upload, user)
        if block_id:
            kept[block_id] = {"attachment": attachment.pk, "name": upload.name}
    application.answers = kept
    application.save(update_fields=["answers"])
    return application


def application_snapshot(application):
    """What a submission sends, for the record and the diff: a dict with the
    `STANDARD_FIELDS` as text, "budget_lines" [[item, amount]], "attachments"
    [titles] and "answers" {block id: answer}."""
    snapshot = {
        "title": application.title,
        "summary": application.summary,
        "requested_amount": str(Decimal(application.requested_amount).quantize(CENT)),
        "target_region": str(application.target_region or ""),
        "beneficiaries": application.beneficiaries,
        "beneficiary_count": application.beneficiary_count,
        "linked_projects": application.linked_projects,
        "budget_lines": [
            [line.item, str(line.amount)] for line in application.budget_lines.all()
        ],
        "attachments": [a.title for a in application.attachments.all()],
        "answers": application.answers or {},
    }
    return snapshot


def missing_answers(application):
    """The labels of the required questions left unanswered (list of str)."""
    blocks = application.form_version.blocks if application.form_version else []
    missing = []
    for block in blocks:
        value = block["value"]
        if not value.get("required"):
            continue
        answer = (application.answers or {}).get(block["id"])
        if block["type"] == "table":
            answered = any(any(str(c).strip() for c in row) for row in answer or [])
        else:
            answered = answer not in (None, "", [], {})
        if not answered:
            missing.append(value.get("label", ""))
    return missing


@transaction.atomic
def application_submit_online(*, application, organization, user, now=None):
    """Submit the organization's own application (or resubmit it after more
    information was requested).

    Refused (FundingError, nothing changed) when: it is already submitted (a
    second click: one submission only), decided (frozen) or otherwise not
    editable; a first submission comes after the deadline (`call_deadline`, shown)
    or before the call opens; a required question is unanswered; any eligibility
    rule fails — every failure listed. A resubmission after "more information
    requested" is accepted after the deadline (staff asked for it) and keeps the
    first submission time. On success: status submitted, an
    `ApplicationSubmission` snapshot, fund managers told (APPLICATION_SUBMITTED)
    and the organization's users told (APPLICATION_RECEIVED). Returns the
    application."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(
        pk=application.pk, organization=organization
    )
    status = S(application.status)
    if status == S.SUBMITTED:
        raise FundingError(
            _(
                "This application was already submitted on %(when)s; it was not "
                "submitted again."
            )
            % {
                "when": timezone.localtime(application.submitted_at, SHANGHAI).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    refusal = _refusal_to_edit(application)
    if refusal:
        raise FundingError(refusal)
    call = application.call
    resubmit = status == S.MORE_INFO
    if not resubmit:
        if now > call_deadline(call):
            raise FundingError(
                _(
                    "Too late: the call closed at %(deadline)s. The application was not submitted."
                )
                % {"deadline": deadline_text(call)}
            )
        if now < call_opening(call):
            raise FundingError(
                _("The call opens on %(opens)s.") % {"opens": call.opens_on.isoformat()}
            )
    failures = [
        _("Required question not answered: %(label)s") % {"label": label}
        for label in missing_answers(application)
    ]
    failures += eligibility_failures(
        application, on=timezone.localtime(now, SHANGHAI).date()
    )
    if failures:
        raise FundingError(
            _("The application cannot be submitted yet:") + " " + "；".join(failures),
        )
    first_submitted = application.submitted_at
    application.submitted_online = True
    application.eligibility_failures = []
    application_move(application, S.SUBMITTED, user=user, note="")
    if resubmit and first_submitted:
        Application.objects.filter(pk=application.pk).update(
            submitted_at=first_submitted
        )
        application.submitted_at = first_submitted
    number = (application.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    submission = ApplicationSubmission(
        application=application,
        number=number,
        form_version=application.form_version,
        snapshot=application_snapshot(application),
        submitted_by=user,
    )
    submission._history_user = user
    submission.save()
    log(
        application,
        "funding.submitted_online",
        user=user,
        data={"submission": number, "resubmit": resubmit},
    )
    _submitted_notify(application, user=user, resubmit=resubmit)
    return application


def organization_users(organization):
    """The active users of an organization (its members), a list."""
    return [m.user for m in organization.members.select_related("user")]


def _submitted_notify(application, *, user, resubmit):
    record = reverse("funding_application_record", args=[application.pk])
    text = (
        gettext_lazy("Application resubmitted with more information: {title} ({org})")
        if resubmit
        else gettext_lazy("Application submitted online: {title} ({org})")
    )
    notify(
        NotificationKind.APPLICATION_SUBMITTED,
        permission_holders(MANAGE),
        title=format_lazy(
            text, title=application.title, org=application.organization.name
        ),
        link=record,
        actor=user,
    )
    notify(
        NotificationKind.APPLICATION_RECEIVED,
        organization_users(application.organization),
        title=format_lazy(
            gettext_lazy("Your application was received: {title}"),
            title=application.title,
        ),
        link=reverse("funding_portal_application", args=[application.pk]),
        actor=user,
    )


@transaction.atomic
def application_request_more_info(*, application, user, note):
    """Staff ask the organization for more information ("要求补充材料"): the
    application (submitted or eligibility-checked) goes to MORE_INFO with the note,
    which the organization sees; its users are told (MORE_INFO_REQUESTED). Raises
    FundingError when the move is not allowed or the note is empty."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.info_request = note.strip()
    application_move(application, S.MORE_INFO, user=user, note=note)
    notify(
        NotificationKind.MORE_INFO_REQUESTED,
        organization_users(application.organization),
        title=format_lazy(
            gettext_lazy("More information requested: {title}"),
            title=application.title,
        ),
        link=reverse("funding_portal_application", args=[application.pk]),
        actor=user,
    )
    return application


def application_decided_notify(application, *, actor):
    """Tell the organization's users their application was decided
    (APPLICATION_DECIDED): approved or not, without reviewers or scores."""
    notify(
        NotificationKind.APPLICATION_DECIDED,
        organization_users(application.organization),
        title=format_lazy(
            gettext_lazy("Decision on your application {title}: {status}"),
            title=application.title,
            status=application.get_status_display(),
        ),
        link=reverse("funding_portal_application", args=[application.pk]),
        actor=actor,
    )
