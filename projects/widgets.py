"""The chooser of a funding link's source record (award or purchase).

Options are the records of the registered funding sources that the project's pairing
may use (its organization's and its alliances' — the rule is
`projects.funding_sources.funding_source_eligible`), grouped by kind, with values
"kind:pk". Without a pairing scope nothing but "self-raised" is offered. The field
stores only the pk: the value is accepted only when its
kind is the one chosen in the link's own kind field, so an award can never be taken
for a purchase with the same number.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from projects.funding_sources import funding_source_eligible, registered_sources


class FundingSourceSelect(forms.Select):
    # the kind of the link being edited, set by FundingSourcePanel per form
    bound_kind = ""
    # the pairings whose organizations' records may be offered, set likewise
    pairings = ()

    @property
    def choices(self):
        groups = [("", _("— no award or purchase (self-raised money) —"))]
        for source in registered_sources():
            label = source.model._meta.verbose_name
            options = [
                (f"{source.kind}:{record.pk}", str(record))
                for record in funding_source_eligible(source, self.pairings)
            ]
            groups.append((label, options))
        return groups

    @choices.setter
    def choices(self, value):
        pass  # the options come from the registry, not from the form field

    def format_value(self, value):
        # the stored pk → "kind:pk" for the kind of the link
        if value in (None, ""):
            return [""]
        return [f"{self.bound_kind}:{value}"]

    def value_from_datadict(self, data, files, name):
        raw = data.get(name) or ""
        if ":" not in raw:
            return ""
        kind, pk = raw.split(":", 1)
        own_kind = data.get(name[: -len("source_id")] + "kind")
        if kind != own_kind:
            return ""  # the link then asks to choose the record of its kind
        return pk


class FundingSourcePanel(FieldPanel):
    """The source-record field, told which kind its link has and which pairings'
    records it may offer (`funding_pairings`, set on the link forms by the project
    form, `projects.forms.ProjectForm`)."""

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is not None:
                widget = self.bound_field.field.widget
                if isinstance(widget, FundingSourceSelect):
                    widget.bound_kind = getattr(self.instance, "kind", "") or ""
                    widget.pairings = getattr(self.form, "funding_pairings", ())
