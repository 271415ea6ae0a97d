"""The admin form of a declared conflict (申报回避)."""

from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from funding.services.assignment import reviewers
from funding.templatetags.funding_tags import person_name


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


class DeclaredConflictForm(WagtailAdminModelForm):
    """A conflict is declared by a reviewer: the reviewer field offers the active
    users of the reviewer role (`funding.services.assignment.reviewers`) by name,
    not every account of the platform by login (finance, editors, administrators
    were offered)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("reviewer")
        if field is not None:
            queryset = reviewers().order_by("username")
            if self.instance.pk and self.instance.reviewer_id:
                # a stored conflict of a reviewer since removed from the role stays
                # editable (one query by ids: reviewers() is distinct and cannot be
                # OR-ed with a plain queryset)
                queryset = (
                    type(self.instance.reviewer)
                    .objects.filter(
                        Q(pk__in=reviewers().values("pk"))
                        | Q(pk=self.instance.reviewer_id)
                    )
                    .order_by("username")
                )
            self.fields["reviewer"] = ReviewerChoiceField(
                queryset=queryset,
                label=field.label,
                help_text=field.help_text,
                widget=field.widget,
            )
