"""我的申报: the organization's own applications (list, new, edit, detail, files),
and the submission record staff read (`ApplicationRecordView`: what the
organization sent, what changed, and the "要求补充材料" action).

Every portal screen inherits `PortalMixin` and looks applications up within the
user's organization: another organization's id answers 404. The writes are the
services of `funding.services.portal`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import file_response
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import DECIDED, ORGANIZATION_EDITABLE, allowed_moves
from funding.models import Application, Call
from funding.permissions import MANAGE
from funding.portal_forms import (
    AnswersForm,
    AttachmentForm,
    MoreInfoForm,
    StandardFieldsForm,
    budget_formset,
    budget_lines_of,
)
from funding.selectors.portal import (
    anonymous_feedback,
    answer_rows,
    applications_of,
    draft_of,
    open_calls,
    status_steps,
    submission_diff,
)
from funding.services.portal import (
    STANDARD_FIELDS,
    application_request_more_info,
    application_save,
    application_submit_online,
    call_accepts,
    call_form_version_current,
    deadline_text,
)
from funding.views.base import error_text
from incubator.permissions import organization_of_request
from incubator.views.portal_base import PortalMixin


class PortalView(PortalMixin, WagtailAdminTemplateMixin, TemplateView):
    """A 我的申报 screen with breadcrumbs back to the list."""

    header_icon = "form"

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {
                "url": reverse("funding_portal_applications"),
                "label": _("My applications"),
            },
        ]
        if self.get_page_title() != _("My applications"):
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def own_application(self, pk):
        return get_object_or_404(
            Application.objects.select_related("call", "form_version", "target_region"),
            pk=pk,
            organization=self.organization,
        )


class PortalApplicationListView(PortalView):
    template_name = "funding/portal/application_list.html"
    page_title = gettext_lazy("My applications")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = list(applications_of(self.organization))
        for application in applications:
            application.steps = status_steps(application.status)
        now = timezone.now()
        context.update(
            organization=self.organization,
            applications=applications,
            calls=[
                (call, deadline_text(call))
                for call in open_calls(timezone.localdate())
                if call_accepts(call, now)
            ],
        )
        return context


class PortalApplicationFormView(PortalView):
    """New (`call_pk`) or edit (`pk`): standard fields, budget, the call's own
    questions (of the application's form version), attachments; "save draft" or
    "submit"."""

    template_name = "funding/portal/application_form.html"

    def setup_objects(self):
        if "pk" in self.kwargs:
            self.application = self.own_application(self.kwargs["pk"])
            self.call = self.application.call
        else:
            self.application = None
            self.call = get_object_or_404(Call, pk=self.kwargs["call_pk"])

    def dispatch(self, request, *args, **kwargs):
        self.organization = organization_of_request(request)
        if self.organization is None:
            raise PermissionDenied
        self.setup_objects()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        if self.application is not None:
            return self.application.title
        return _("New application")

    def get_page_subtitle(self):
        return str(self.call)

    def version(self):
        application = self.application
        if application is not None and application.status != S.DRAFT:
            if application.form_version is not None:
                return application.form_version
        return call_form_version_current(self.call)

    def forms(self, data=None, files=None):
        version = self.version()
        answers = self.application.answers if self.application else {}
        return {
            "form": StandardFieldsForm(
                data,
                instance=self.application or Application(call=self.call),
                call=self.call,
                organization=self.organization,
                prefix="app",
            ),
            "budget": budget_formset(self.application, data),
            "answers_form": AnswersForm(
                data, files, blocks=version.blocks, answers=answers, prefix="form"
            ),
            "attachment_form": AttachmentForm(
                data,
                files,
                prefix="att",
                attachments=list(self.application.attachments.all())
                if self.application
                else (),
            ),
            "version": version,
        }

    def refusal(self):
        """Why this screen cannot be used now (frozen, submitted, closed), or None."""
        application = self.application
        if application is None:
            if not call_accepts(self.call):
                return _(
                    "The call is not open: it accepts applications until %(deadline)s."
                ) % {"deadline": deadline_text(self.call)}
            return None
        if application.status in ORGANIZATION_EDITABLE:
            return None
        if application.status in DECIDED:
            return _(
                "This application has been decided and is frozen: it can no longer be changed."
            )
        return _("This application is “%(status)s” and cannot be changed now.") % {
            "status": application.get_status_display()
        }

    def get(self, request, *args, **kwargs):
        if self.application is None:
            draft = draft_of(self.call, self.organization)
            if draft is not None:
                messages.info(
                    request,
                    _("Your draft to this call is open below: continue it."),
                )
                return redirect("funding_portal_application_edit", draft.pk)
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            if self.application is not None:
                return redirect("funding_portal_application", self.application.pk)
            return redirect("funding_portal_applications")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs.get("forms") or self.forms()
        context.update(
            forms,
            call=self.call,
            application=self.application,
            deadline=deadline_text(self.call),
            resubmit=self.application is not None
            and self.application.status == S.MORE_INFO,
            attachments=self.application.attachments.all() if self.application else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        application = self.application
        if application is not None and application.status not in ORGANIZATION_EDITABLE:
            # a second click on "submit", or a frozen application: refused, clearly
            try:
                if action == "submit":
                    application_submit_online(
                        application=application,
                        organization=self.organization,
                        user=request.user,
                    )
                else:
                    raise FundingError(self.refusal())
            except FundingError as exc:
                messages.error(request, error_text(exc))
            return redirect("funding_portal_application", application.pk)
        forms = self.forms(request.POST, request.FILES)
        valid = all(
            f.is_valid()
            for f in (
                forms["form"],
                forms["budget"],
                forms["answers_form"],
                forms["attachment_form"],
            )
        )
        if not valid:
            messages.error(
                request,
                _("The application was not saved: please correct the errors below."),
            )
            return self.render_to_response(self.get_context_data(forms=forms))
        data = forms["form"].cleaned_data
        answers, files = forms["answers_form"].answers()
        extra = forms["attachment_form"].cleaned_data
        if extra.get("attachment_file"):
            files.append(
                ("", extra.get("attachment_title") or "", extra["attachment_file"])
            )
        removed = extra.get("remove_attachments") or []
        try:
            with transaction.atomic():
                application = application_save(
                    call=self.call,
                    organization=self.organization,
                    user=request.user,
                    application=application,
                    fields={name: data.get(name) for name in STANDARD_FIELDS},
                    budget_lines=budget_lines_of(forms["budget"]),
                    answers=answers,
                    files=files,
                    remove_attachments=removed,
                )
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return self.render_to_response(self.get_context_data(forms=forms))
        if action == "submit":
            try:
                application_submit_online(
                    application=application,
                    organization=self.organization,
                    user=request.user,
                )
            except FundingError as exc:
                messages.warning(request, _("Saved as a draft, but not submitted."))
                messages.error(request, error_text(exc))
                return redirect("funding_portal_application_edit", application.pk)
            messages.success(
                request, _("Application submitted. You will be told of each step.")
            )
            return redirect("funding_portal_application", application.pk)
        messages.success(
            request,
            _("Draft saved. You can come back and submit it before the deadline."),
        )
        return redirect("funding_portal_application_edit", application.pk)


class PortalApplicationDetailView(PortalView):
    """One application as the organization sees it: the status bar, what staff
    asked, the answers, and — when the call publishes it — anonymous feedback."""

    template_name = "funding/portal/application_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.organization = organization_of_request(request)
        if self.organization is None:
            raise PermissionDenied
        self.application = self.own_application(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.application.title

    def get_page_subtitle(self):
        return str(self.application.call)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        blocks = application.form_version.blocks if application.form_version else []
        context.update(
            application=application,
            steps=status_steps(application.status),
            answers=answer_rows(blocks, application.answers),
            attachments=application.attachments.all(),
            budget_lines=application.budget_lines.all(),
            editable=application.status in ORGANIZATION_EDITABLE,
            frozen=application.status in DECIDED,
            feedback=anonymous_feedback(application),
            deadline=deadline_text(application.call),
            submissions=application.submissions.all(),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            application_submit_online(
                application=self.application,
                organization=self.organization,
                user=request.user,
            )
            messages.success(
                request, _("Application submitted. You will be told of each step.")
            )
        except FundingError as exc:
            messages.error(request, error_text(exc))
        return redirect("funding_portal_application", self.application.pk)


class PortalApplicationFileView(PortalMixin, View):
    """A file of the organization's own application, as a download."""

    def get(self, request, pk, attachment_pk):
        application = get_object_or_404(
            Application, pk=pk, organization=self.organization
        )
        attachment = get_object_or_404(application.attachments, pk=attachment_pk)
        return file_response(attachment.document.file, inline=False)


class ApplicationRecordView(WagtailAdminTemplateMixin, TemplateView):
    """The submission record of an application: each submission as the
    organization sent it, what changed from the one before, the answers of its
    form version and — for fund managers — "要求补充材料". Staff holding MANAGE
    see any application; the organization's own users see theirs (another
    organization's: 404)."""

    template_name = "funding/portal/application_record.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.is_staff = request.user.has_perm(MANAGE)
        queryset = Application.objects.select_related(
            "call", "organization", "form_version"
        )
        if not self.is_staff:
            organization = organization_of_request(request)
            if organization is None:
                raise PermissionDenied
            queryset = queryset.filter(organization=organization)
        self.application = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Submission record")

    def get_page_subtitle(self):
        return self.application.title

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.is_staff:
            items.append(
                {
                    "url": reverse(
                        "funding_call_desk", args=[self.application.call_id]
                    ),
                    "label": str(self.application.call),
                }
            )
        else:
            items.append(
                {
                    "url": reverse(
                        "funding_portal_application", args=[self.application.pk]
                    ),
                    "label": self.application.title,
                }
            )
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        submissions = list(
            application.submissions.select_related("form_version", "submitted_by")
        )
        previous = None
        for submission in submissions:
            blocks = submission.form_version.blocks if submission.form_version else []
            submission.answer_rows = answer_rows(
                blocks, submission.snapshot.get("answers")
            )
            submission.changes = (
                submission_diff(previous.snapshot, submission.snapshot, blocks)
                if previous is not None
                else None
            )
            previous = submission
        can_ask = self.is_staff and S.MORE_INFO in allowed_moves(application.status)
        context.update(
            application=application,
            submissions=list(reversed(submissions)),
            is_staff=self.is_staff,
            more_info_form=kwargs.get("more_info_form")
            or (MoreInfoForm() if can_ask else None),
            edit_url=reverse(
                "wagtailsnippets_funding_application:edit", args=[application.pk]
            )
            if self.is_staff
            else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.is_staff:
            raise PermissionDenied
        form = MoreInfoForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(more_info_form=form))
        try:
            application_request_more_info(
                application=self.application,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except FundingError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("The organization has been asked for more information.")
            )
        return redirect("funding_application_record", self.application.pk)
