"""Organization accounts: the public pages (accept an invitation, register) and
the staff screens (invite from an organization, the 机构账号申请 desk).

The rules are in `incubator/services/accounts.py`; these views turn its
IncubationError into form errors or a refusal page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.snippets.widgets import AdminSnippetChooser

from core.forms import errors_to_form
from incubator.errors import IncubationError
from incubator.models import AccountRequest, AccountRequestStatus, Organization
from incubator.permissions import INVITE, organizations_invitable_by
from incubator.selectors.portal import (
    pending_account_requests,
    registry_match,
)
from incubator.services.accounts import (
    DECIDE,
    account_request_approve,
    account_request_reject,
    account_request_submit,
    invitation_accept,
    invitation_create,
    invitation_open,
)
from incubator.views.screens import TitledMixin

VIEW_REQUESTS = "incubator.view_accountrequest"


class AccountRequestsMenuItem(MenuItem):
    """机构账号申请 in the admin menu: for whoever may read the requests."""

    def is_shown(self, request):
        return request.user.has_perm(VIEW_REQUESTS)


# --- public pages --------------------------------------------------------------


class PasswordFields(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("username"),
        max_length=150,
        help_text=gettext_lazy("Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        username = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(username)
        return username

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data


class InvitationAcceptView(FormView):
    """/organizations/invitations/<token>/: the invited person chooses a username
    and password. A used, expired or unknown link gets a refusal page saying why
    (410 used or expired, 404 unknown)."""

    template_name = "incubator/public/invitation_accept.html"
    form_class = PasswordFields

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = invitation_open(kwargs["token"])
        except IncubationError as exc:
            return self.refusal(exc)
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, exc):
        from incubator.models import OrganizationInvitation
        from incubator.services.accounts import token_hash

        known = OrganizationInvitation.objects.filter(
            token_hash=token_hash(self.kwargs["token"])
        ).exists()
        return self.response_class(
            request=self.request,
            template="incubator/public/refused.html",
            context={"message": exc.messages[0], "title": _("Invitation")},
            status=410 if known else 404,
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.invitation}

    def form_valid(self, form):
        try:
            user = invitation_accept(
                token=self.kwargs["token"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except IncubationError as exc:
            if not hasattr(exc, "error_dict"):
                return self.refusal(exc)
            if "password" in exc.message_dict:
                form.add_error("password1", exc.message_dict.pop("password"))
            errors_to_form(form, IncubationError(exc.message_dict))
            return self.form_invalid(form)
        return self.response_class(
            request=self.request,
            template="incubator/public/done.html",
            context={
                "title": _("Your account is ready"),
                "message": _(
                    "Your account “%(username)s” of %(organization)s is ready. "
                    "Log in to reach 我的机构."
                )
                % {
                    "username": user.get_username(),
                    "organization": self.invitation.organization,
                },
                "login": True,
            },
        )


class RegisterForm(PasswordFields):
    organization_name = forms.CharField(
        label=gettext_lazy("organization name"), max_length=200
    )
    uscc = forms.CharField(
        label=gettext_lazy("unified social credit code"),
        max_length=30,
        help_text=gettext_lazy("18 characters, as on the registration certificate."),
    )
    contact_name = forms.CharField(label=gettext_lazy("contact person"), max_length=64)
    phone = forms.CharField(label=gettext_lazy("contact phone"), max_length=32)
    email = forms.EmailField(label=gettext_lazy("e-mail"))

    field_order = [
        "organization_name",
        "uscc",
        "contact_name",
        "phone",
        "email",
        "username",
        "password1",
        "password2",
    ]


def client_address(request):
    """The client's address as the server sees it (REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "")


class AccountRegisterView(FormView):
    """/organizations/register/: an organization asks for an account; a fund
    manager approves it after checking the registry."""

    template_name = "incubator/public/register.html"
    form_class = RegisterForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            account_request_submit(
                organization_name=data["organization_name"],
                uscc=data["uscc"],
                contact_name=data["contact_name"],
                phone=data["phone"],
                email=data["email"],
                username=data["username"],
                password=data["password1"],
                client_address=client_address(self.request),
            )
        except IncubationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.message_dict:
                form.add_error("password1", exc.message_dict.pop("password"))
                exc = IncubationError(exc.message_dict) if exc.message_dict else None
            if exc is not None:
                errors_to_form(form, exc)
            return self.form_invalid(form)
        return self.response_class(
            request=self.request,
            template="incubator/public/done.html",
            context={
                "title": _("Request received"),
                "message": _(
                    "Your request was received. A fund manager checks it against "
                    "the registry; you will get an e-mail at %(email)s when it is "
                    "decided."
                )
                % {"email": data["email"]},
            },
        )


# --- staff screens -------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("e-mail"))
    title = forms.CharField(
        label=gettext_lazy("position"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("e.g. 项目负责人, 财务联系人"),
    )


class InviteView(TitledMixin, FormView):
    """邀请机构用户: a fund manager (any organization) or a base operator (their
    residents only; another organization: 404) invites a person by e-mail."""

    template_name = "incubator/invite.html"
    form_class = InviteForm
    page_title = gettext_lazy("Invite an organization user")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(INVITE):
            raise PermissionDenied
        self.organization = get_object_or_404(
            organizations_invitable_by(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.organization)

    def get_context_data(self, **kwargs):
        from incubator.selectors.portal import organization_profile

        return {
            **super().get_context_data(**kwargs),
            **organization_profile(self.organization),
        }

    def form_valid(self, form):
        try:
            invitation_create(
                organization=self.organization,
                email=form.cleaned_data["email"],
                title=form.cleaned_data["title"],
                user=self.request.user,
            )
        except IncubationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation was sent to %(email)s (valid 7 days).")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("incubator_invite", pk=self.organization.pk)


class AccountRequestListView(TitledMixin, TemplateView):
    """机构账号申请: pending self-registrations with their registry match, then
    the latest decided ones."""

    template_name = "incubator/account_requests.html"
    page_title = gettext_lazy("Organization account requests")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REQUESTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pending = [
            {"request": r, "match": registry_match(r)}
            for r in pending_account_requests()
        ]
        decided = AccountRequest.objects.exclude(
            status=AccountRequestStatus.PENDING
        ).select_related("decided_by")[:20]
        return {
            **super().get_context_data(**kwargs),
            "pending": pending,
            "decided": decided,
        }


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason for the rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to reject; e-mailed to the requester."),
    )
    checked = forms.BooleanField(
        label=gettext_lazy("I checked the code and the name against the registry"),
        required=False,
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("registry organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=AdminSnippetChooser(Organization),
        help_text=gettext_lazy(
            "Only when the request's name or code differs from the registry: the "
            "registry organization the requester belongs to."
        ),
    )
    approval_reason = forms.CharField(
        label=gettext_lazy("reason for approving despite the difference"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only when the request differs from the registry: why the difference is "
            "harmless and how you checked it (kept in the history)."
        ),
    )


class AccountRequestView(TitledMixin, FormView):
    """One account request: its registry match, approve or reject (with a
    reason). A decided request shows its decision and accepts no other."""

    template_name = "incubator/account_request.html"
    form_class = DecisionForm
    page_title = gettext_lazy("Organization account request")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REQUESTS):
            raise PermissionDenied
        self.account_request = get_object_or_404(AccountRequest, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("incubator_account_requests"),
                "label": _("Organization account requests"),
            },
            {"url": "", "label": str(self.account_request)},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "account_request": self.account_request,
            "match": registry_match(self.account_request),
            "may_decide": self.request.user.has_perm(DECIDE),
            "pending": self.account_request.status == AccountRequestStatus.PENDING,
        }

    def form_valid(self, form):
        if not self.request.user.has_perm(DECIDE):
            raise PermissionDenied
        action = self.request.POST.get("action")
        try:
            if action == "approve":
                if not form.cleaned_data["checked"]:
                    form.add_error(
                        "checked",
                        _("Confirm that you checked the code and the name first."),
                    )
                    return self.form_invalid(form)
                account_request_approve(
                    account_request=self.account_request,
                    user=self.request.user,
                    organization=form.cleaned_data["organization"],
                    reason=form.cleaned_data["approval_reason"],
                )
                messages.success(
                    self.request,
                    _("Approved: the account “%(username)s” can log in.")
                    % {"username": self.account_request.username},
                )
            elif action == "reject":
                account_request_reject(
                    account_request=self.account_request,
                    user=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(self.request, _("Rejected; the requester was told."))
            else:
                raise Http404
        except IncubationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        return redirect("incubator_account_requests")
