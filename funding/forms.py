"""The funding admin forms: calls, applications, declared conflicts, notices, awards,
purchases, payments and evaluations.

The rules are checked in `clean` (so the user sees them beside the fields and
nothing is written) and the writes go through the services (`save_with_service`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import formfield_for_dbfield

from core.workdays import calendar_years
from funding.choices import IDENTIFYING_FIELD_CHOICES, ApplicationStatus
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Application, Call
from funding.models.awards import COMMITTED, Award, PublicNotice
from funding.models.purchases import (
    PaymentInstalment,
    PerformanceEvaluation,
    PurchasePayment,
    ServicePurchase,
)
from funding.selectors.reviews import reviewers
from funding.services import notices as notice_services
from funding.services import public_objections
from funding.services import purchases as purchase_services
from funding.services import tranches as tranche_services
from funding.templatetags.funding_tags import person_name
from incubator.choices import OrganizationType, RegistrationLevel


def _live_forms(formset):
    return [
        f
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
    ]


class PublicNoticeForm(WagtailAdminModelForm):
    class Meta:
        model = PublicNotice
        formfield_callback = formfield_for_dbfield  # core.numbers' money field
        fields = ["call", "title", "starts_on", "working_days", "objection_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "working_days" in self.fields:
            if self.instance.pk:
                note = self.instance.calendar_note
            else:
                first, last = calendar_years()
                note = _(
                    "Counted on China's official holidays and make-up workdays (the "
                    "State Council's yearly notice), known for %(first)s–%(last)s; "
                    "later years are counted with weekends only."
                ) % {"first": first, "last": last}
            self.fields["working_days"].help_text = note
        if self.instance.pk:
            for name in ("call", "starts_on", "working_days"):
                if name in self.fields:
                    self.fields[name].disabled = True
        elif "call" in self.fields:
            self.fields["call"].queryset = Call.objects.filter(
                applications__status=S.APPROVED
            ).distinct()

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call")
        if not self.instance.pk and call is not None:
            if not Application.objects.filter(call=call, status=S.APPROVED).exists():
                self.add_error(
                    "call", _("The call has no approved applications to publish.")
                )
        return cleaned

    def save_with_service(self, user):
        data = self.cleaned_data
        return notice_services.notice_publish(
            data["call"],
            title=data["title"],
            starts_on=data["starts_on"],
            working_days=data["working_days"],
            objection_contact=data["objection_contact"],
            user=user,
        )


class AwardForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        award = self.instance
        status = award.application.status
        if status in (S.TERMINATED, S.COMPLETED, S.REJECTED):
            raise ValidationError(
                _("The award is “%(s)s”: it can no longer be changed.")
                % {"s": award.get_status_display()}
            )
        formset = self.formsets.get("tranches")
        if formset is not None and formset.is_valid():
            if formset.has_changed() and tranche_services.schedule_locked(award):
                raise ValidationError(
                    _(
                        "Money has been recorded against this schedule; it can "
                        "no longer change."
                    )
                )
            try:
                tranche_services.schedule_check(
                    [f.cleaned_data["percentage"] for f in _live_forms(formset)]
                )
            except FundingError as exc:
                raise ValidationError(exc.messages) from None
        signed_on = cleaned.get("agreement_signed_on")
        stored = Award.objects.get(pk=award.pk).agreement_signed_on
        if signed_on != stored:
            if stored is not None:
                self.add_error(
                    "agreement_signed_on",
                    _("The agreement was signed on %(day)s; that date stays.")
                    % {"day": stored},
                )
            elif status != S.AWARDED:
                self.add_error(
                    "agreement_signed_on",
                    _(
                        "An agreement is signed once the award is made; this one "
                        "is “%(s)s”."
                    )
                    % {"s": award.get_status_display()},
                )
            elif award.awarded_on and signed_on < award.awarded_on:
                self.add_error(
                    "agreement_signed_on",
                    _("The agreement cannot predate the award (%(day)s).")
                    % {"day": award.awarded_on},
                )
        return cleaned


class ServicePurchaseForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("supplier_kind")
        if kind == "social_org" and not cleaned.get("supplier"):
            self.add_error(
                "supplier",
                _("Choose the social organization from the registry."),
            )
        if kind and kind != "social_org" and not cleaned.get("supplier_name"):
            self.add_error("supplier_name", _("Name the supplier."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The service cannot end before it starts."))
        formset = self.formsets.get("instalments")
        if formset is not None and formset.is_valid():
            rows = [
                (f.cleaned_data["amount"], f.cleaned_data.get("is_final", False))
                for f in _live_forms(formset)
            ]
            contract = cleaned.get("contract_amount")
            if self.instance.pk:
                held = PurchasePayment.objects.filter(
                    purchase=self.instance, status__in=COMMITTED
                )
                for f in _live_forms(formset):
                    if f.instance.pk and f.cleaned_data["amount"] < sum(
                        p.amount for p in held if p.instalment_id == f.instance.pk
                    ):
                        raise ValidationError(
                            _("An instalment cannot be less than what is paid on it.")
                        )
            try:
                purchase_services.purchase_schedule_check(contract, rows)
            except FundingError as exc:
                raise ValidationError(exc.messages) from None
            if self.instance.pk:
                refusal = purchase_services.purchase_schedule_change_refusal(
                    self.instance,
                    [f.instance.pk for f in formset.ordered_forms],
                    [f.instance.pk for f in formset.deleted_forms if f.instance.pk],
                )
                if refusal:
                    raise ValidationError(refusal)
        return cleaned


class PurchasePaymentForm(WagtailAdminModelForm):
    class Meta:
        model = PurchasePayment
        formfield_callback = formfield_for_dbfield  # core.numbers' money field
        fields = ["purchase", "instalment", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "instalment" in self.fields:
            self.fields[
                "instalment"
            ].queryset = PaymentInstalment.objects.select_related("purchase")

    def clean(self):
        cleaned = super().clean()
        purchase, instalment = cleaned.get("purchase"), cleaned.get("instalment")
        amount = cleaned.get("amount")
        if amount is not None and amount <= 0:
            self.add_error("amount", _("The amount must be more than zero."))
            return cleaned
        if purchase and instalment and amount:
            refusal = purchase_services.purchase_payment_refusal(
                purchase, instalment, amount
            )
            if refusal:
                self.add_error("amount", refusal)
        return cleaned

    def save_with_service(self, user):
        data = self.cleaned_data
        return purchase_services.purchase_payment_record(
            data["purchase"],
            instalment=data["instalment"],
            amount=data["amount"],
            note=data.get("note", ""),
            user=user,
        )


class PerformanceEvaluationForm(WagtailAdminModelForm):
    class Meta:
        model = PerformanceEvaluation
        formfield_callback = formfield_for_dbfield  # core.numbers' money field
        fields = ["purchase", "evaluated_on", "evaluator", "score", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "purchase" in self.fields:
            self.fields["purchase"].queryset = ServicePurchase.objects.all()
            # an evaluation stays with its purchase; a correction re-scores it
            self.fields["purchase"].disabled = bool(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        purchase = cleaned.get("purchase") or (
            self.instance.purchase if self.instance.pk else None
        )
        if purchase is not None:
            refusal = purchase_services.evaluation_date_refusal(
                purchase, cleaned.get("evaluated_on")
            )
            if refusal:
                self.add_error("evaluated_on", refusal)
        return cleaned

    def save_with_service(self, user):
        data = self.cleaned_data
        return purchase_services.evaluation_record(
            data["purchase"],
            score=data["score"],
            evaluated_on=data["evaluated_on"],
            evaluator=data["evaluator"],
            comment=data.get("comment", ""),
            user=user,
        )


class CallForm(WagtailAdminModelForm):
    eligible_levels = forms.MultipleChoiceField(
        label=gettext_lazy("eligible registration levels"),
        choices=RegistrationLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_types = forms.MultipleChoiceField(
        label=gettext_lazy("eligible organization types"),
        choices=OrganizationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    identifying_fields = forms.MultipleChoiceField(
        label=gettext_lazy("fields hidden under blind review"),
        choices=IDENTIFYING_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A post without the application form's blocks (an import, a script, an
        # older screen) leaves the form as it is instead of failing on it.
        if self.is_bound and self.add_prefix("application_form-count") not in self.data:
            self.fields.pop("application_form", None)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.rubric_locked:
            criteria = self.formsets.get("criteria")
            if criteria is not None and criteria.has_changed():
                raise ValidationError(
                    _(
                        "The rubric is locked: reviewers have started scoring on it. "
                        "No criterion can be added, removed or changed (name, weight, "
                        "maximum score), so that every review is totalled on the "
                        "criteria it was scored on. Nothing has been saved."
                    )
                )
        return cleaned


class ApplicationForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and instance.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                _(
                    "Only a draft can be edited: this application is “%(status)s”. "
                    "An application that failed the eligibility check can be "
                    "returned for correction from the call's desk."
                )
                % {"status": instance.get_status_display()}
            )
        call, organization = cleaned.get("call"), cleaned.get("organization")
        if call is not None and organization is not None:
            other_drafts = Application.objects.filter(
                call=call, organization=organization, status=ApplicationStatus.DRAFT
            ).exclude(pk=instance.pk)
            if other_drafts.exists():
                # one draft per organization and call (the database holds it too)
                raise ValidationError(
                    _(
                        "This organization already has a draft application to this "
                        "call: continue that draft."
                    )
                )
        return cleaned


def reviewer_label(user):
    """ "周敏（zhou_min）": a reviewer by name, with the login that tells two people
    of one name apart."""
    name = person_name(user)
    if name == user.get_username():
        return name
    return f"{name}（{user.get_username()}）"


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return reviewer_label(obj)


class ReviewerFieldMixin:
    """The form's `reviewer_field` offers the active users of the reviewer role
    (`funding.selectors.reviews.reviewers`) by name, not every account of the
    platform by login (finance, editors, administrators were offered); the person
    already stored stays offered (a reviewer since removed from the role)."""

    reviewer_field = "reviewer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.reviewer_field
        field = self.fields.get(name)
        if field is None:
            return
        queryset = reviewers().order_by("username")
        current = getattr(self.instance, f"{name}_id", None)
        if self.instance.pk and current:
            # one query by ids: reviewers() is distinct and cannot be OR-ed with a
            # plain queryset
            queryset = queryset.model.objects.filter(
                Q(pk__in=reviewers().values("pk")) | Q(pk=current)
            ).order_by("username")
        self.fields[name] = ReviewerChoiceField(
            queryset=queryset,
            label=field.label,
            help_text=field.help_text,
            widget=field.widget,
            required=field.required,
        )


class DeclaredConflictForm(ReviewerFieldMixin, WagtailAdminModelForm):
    """A conflict is declared by a reviewer (`ReviewerFieldMixin`)."""


class ReviewerProfileForm(ReviewerFieldMixin, WagtailAdminModelForm):
    """A profile is a reviewer's (`ReviewerFieldMixin`)."""

    reviewer_field = "user"


class PublicObjectionForm(forms.Form):
    """The objection form of the public notice page (any visitor): which project,
    the objector's real name, a contact for the reply (never shown publicly) and the
    objection. The rules are `funding.services.public_objections`."""

    award = forms.ModelChoiceField(
        label=gettext_lazy("Project objected to"),
        queryset=Award.objects.none(),
        empty_label=gettext_lazy("Choose a project"),
    )
    objector = forms.CharField(
        label=gettext_lazy("Your real name"), max_length=50, strip=True
    )
    contact = forms.CharField(
        label=gettext_lazy("Telephone or address for the reply"),
        max_length=100,
        strip=True,
        help_text=gettext_lazy("Only the fund manager sees it; it is never published."),
    )
    content = forms.CharField(
        label=gettext_lazy("Objection and reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=public_objections.CONTENT_MIN,
        max_length=public_objections.CONTENT_MAX,
        strip=True,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards
        self.fields["award"].label_from_instance = lambda a: (
            f"{a.application.organization.name} · {a.application.title}"
        )
