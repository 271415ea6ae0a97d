"""Admin forms: choices limited to what the user may see, rules checked on save."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from projects.choices import ReportStatus
from projects.models import Pairing, Project, user_sees_all_pairings
from projects.services import ProjectsError
from projects.services.funding import funding_links_check_capacity


class PairingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "coordinators" in self.fields:
            from django.contrib.auth import get_user_model
            from django.db.models import Q

            from core import roles

            # Offer the rural-revitalization coordinators (and administrators).
            self.fields["coordinators"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(groups__name=roles.GROUP_NAMES[roles.COORDINATOR])
                    | Q(is_superuser=True)
                    | Q(
                        pk__in=self.instance.coordinators.all()
                        if self.instance.pk
                        else []
                    )
                )
                .distinct()
                .order_by("username")
            )

    def save(self, commit=True):
        instance = super().save(commit=commit)
        user = self.for_user
        if commit and user is not None and not user_sees_all_pairings(user):
            # A coordinator who records a pairing coordinates it.
            instance.coordinators.add(user)
        return instance


class ProjectForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "pairing" in self.fields:
            self.fields["pairing"].queryset = Pairing.objects.for_user(
                self.for_user
            ).select_related("organization", "county", "village")

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("funding_links")
        if formset is not None and formset.is_valid():
            links = [
                f.instance
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                funding_links_check_capacity(self.instance, links)
            except ProjectsError as exc:
                self.add_error(None, exc)
        return cleaned


class OutcomeReportForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "project" in self.fields:
            self.fields["project"].queryset = Project.objects.filter(
                pairing__in=Pairing.objects.for_user(self.for_user)
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.instance.is_editable:
            raise forms.ValidationError(
                _("A report that is “%(status)s” can no longer be changed.")
                % {"status": self.instance.get_status_display()}
            )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            # The author is whoever first wrote the report, and stays so.
            self.instance.created_by = self.for_user
            self.instance.status = ReportStatus.DRAFT
        return super().save(commit=commit)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must be revised"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
