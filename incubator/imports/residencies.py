"""Importing residents from Excel/CSV: the residency columns, then the importer.

Every row is validated against the same rules as the admission screen (one active
residency, capacity, dates, the user's own bases), then all are admitted through
`residency_admit` — or none.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date, uscc_column
from incubator.choices import RegistrationStatus
from incubator.models import Organization, Residency, Stage
from incubator.permissions import bases_visible_to
from incubator.selectors.organizations import OrganizationsByCode
from incubator.selectors.residencies import where_resides
from incubator.services.residencies import residency_admit

IMPORT_STAGES = [
    (Stage.APPLIED.value, Stage.APPLIED.label),
    (Stage.ENTERED.value, Stage.ENTERED.label),
]

# In the residents listing's export order; the read-only columns are exported for
# reading and ignored when the file comes back.
RESIDENCY_COLUMNS = [
    Column("organization", gettext_lazy("organization"), required=True),
    uscc_column(export="organization.uscc"),
    Column("base", gettext_lazy("incubation base"), required=True),
    Column(
        "stage",
        gettext_lazy("stage"),
        parse=choice_parser(Stage.choices),
        export="get_stage_display",
    ),
    Column("applied_on", gettext_lazy("applied on"), parse=parse_date),
    Column("planned_entry_on", gettext_lazy("planned entry"), parse=parse_date),
    Column("entered_on", gettext_lazy("entered on"), parse=parse_date),
    Column(
        "planned_graduation_on", gettext_lazy("planned graduation"), parse=parse_date
    ),
    Column("graduated_on", gettext_lazy("graduated on"), read_only=True),
    Column("mentors", gettext_lazy("mentors")),
    Column("workspace", gettext_lazy("workspace")),
    Column("notes", gettext_lazy("notes")),
    Column(
        "milestone_progress",
        gettext_lazy("milestone progress"),
        export="milestone_progress_display",
        read_only=True,
    ),
]

# What an import may change on a resident it matches; the stage and its dates move
# on the board (`residency_move`), never by a file.
UPDATABLE = (
    "planned_entry_on",
    "planned_graduation_on",
    "mentors",
    "workspace",
    "notes",
)


@register
class ResidencyImporter(BaseImporter):
    """Residents admitted (applied, or entered) at the uploader's own bases; a row
    for an organization's active residency at the same base (the natural key)
    updates its plans, mentors, workspace and notes. Records are keyword
    arguments of `residency_admit` plus "match" (the residency a row updates)."""

    kind = "residencies"
    label = gettext_lazy("Import residents")
    columns = RESIDENCY_COLUMNS
    permissions_required = ("incubator.add_residency",)
    model = Residency
    index_url_name = "wagtailsnippets_incubator_residency:list"
    progress_every = 100
    natural_key = ("uscc", "organization", "base")

    def prepare(self):
        self.bases = (
            {b.name: b for b in bases_visible_to(self.user)} if self.user else {}
        )
        self.organizations = OrganizationsByCode()
        self.today = timezone.localdate()
        self.seen = {}
        self.entering = Counter()
        self.occupied = {}
        self.matches = {}

    def validate_row(self, row):
        values, error = row.values, row.error
        today = self.today
        organization = self._organization(row)
        base = None
        if "base" in values:
            base = self.bases.get(values["base"])
            if base is None:
                error(
                    "base",
                    _("“%(base)s” is not a base you operate.")
                    % {"base": values["base"]},
                )
        active = where_resides(organization) if organization is not None else None
        if active is not None and base is not None and active.base_id == base.pk:
            return self._matched(row, active, organization)
        stage = values.get("stage", Stage.APPLIED)
        if stage not in (Stage.APPLIED, Stage.ENTERED):
            error(
                "stage",
                _("A new resident is imported as “%(applied)s” or “%(entered)s”.")
                % {"applied": Stage.APPLIED.label, "entered": Stage.ENTERED.label},
            )
        applied_on = values.get("applied_on") or today
        entered_on = values.get("entered_on")
        if stage == Stage.ENTERED and entered_on is None:
            entered_on = applied_on
        if entered_on and stage != Stage.ENTERED:
            error(
                "entered_on",
                _("Only a resident who has entered has an entry date."),
            )
        for key in ("applied_on", "entered_on"):
            if values.get(key) and values[key] > today:
                error(key, _("The date cannot be in the future."))
        if entered_on and entered_on < applied_on:
            error("entered_on", _("The entry cannot be before the application."))
        planned_entry = values.get("planned_entry_on")
        planned_graduation = values.get("planned_graduation_on")
        if planned_entry and planned_graduation and planned_graduation <= planned_entry:
            error(
                "planned_graduation_on",
                _("The planned graduation must come after the planned entry."),
            )
        self._check_text_cells(values, row)
        if (
            organization is not None
            and organization.registration_status != RegistrationStatus.ACTIVE
        ):
            error(
                "organization",
                _("%(organization)s is not a registered organization (%(status)s).")
                % {
                    "organization": organization,
                    "status": organization.get_registration_status_display(),
                },
            )
        elif organization is not None:
            if active is not None:
                error(
                    "organization",
                    _(
                        "%(organization)s already resides at %(base)s (stage: "
                        "%(stage)s); an organization can have only one active "
                        "residency."
                    )
                    % {
                        "organization": organization,
                        "base": active.base,
                        "stage": active.get_stage_display(),
                    },
                )
            elif organization.pk in self.seen:
                error(
                    "organization",
                    _("The same organization is already in row %(row)s of this file.")
                    % {"row": self.seen[organization.pk]},
                )
            else:
                self.seen[organization.pk] = row.number
        if base is not None and stage == Stage.ENTERED:
            if base.pk not in self.occupied:
                self.occupied[base.pk] = base.residencies.filter(
                    stage__in=Residency.OCCUPYING
                ).count()
            self.entering[base.pk] += 1
            taken = self.occupied[base.pk] + self.entering[base.pk]
            if taken > base.capacity:
                error(
                    "base",
                    _(
                        "%(base)s is full: %(taken)s of its %(capacity)s places are "
                        "taken."
                    )
                    % {"base": base, "taken": taken - 1, "capacity": base.capacity},
                )
        return {
            "organization": organization,
            "base": base,
            "applied_on": applied_on,
            "planned_entry_on": planned_entry,
            "planned_graduation_on": planned_graduation,
            "mentors": values.get("mentors", ""),
            "workspace": values.get("workspace", ""),
            "notes": values.get("notes", ""),
            "enter": stage == Stage.ENTERED,
            "entered_on": entered_on,
            "match": None,
        }

    def _matched(self, row, active, organization):
        """A row for the organization's active residency at this base: its plans
        and notes may change; its stage and the stage dates are moved on the board."""
        values = row.values
        self._check_text_cells(values, row)
        if "stage" in values and values["stage"] != active.stage:
            row.error(
                "stage",
                _(
                    "The stage of %(residency)s is “%(stage)s”: a stage is moved on "
                    "the board, not by an import."
                )
                % {"residency": active, "stage": active.get_stage_display()},
            )
        for key in ("applied_on", "entered_on"):
            if key in values and values[key] != getattr(active, key):
                row.error(
                    key,
                    _(
                        "The dates of the stages are moved on the board, not by an import."
                    ),
                )
        if organization.pk in self.seen:
            row.error(
                "organization",
                _("The same organization is already in row %(row)s of this file.")
                % {"row": self.seen[organization.pk]},
            )
        self.seen[organization.pk] = row.number
        self.matches[self.row_key(values)] = active
        return {key: values.get(key) for key in UPDATABLE} | {"match": active}

    def row_key(self, values):
        """(organization's code or name, base name): an organization has one active
        residency."""
        who = (values.get("uscc") or "").upper() or values.get("organization")
        if not who or not values.get("base"):
            return None
        return (who, values["base"])

    def existing(self, keys):
        return {key: match for key, match in self.matches.items() if key in keys}

    def apply(self, instance, record):
        """Set the plans, mentors, workspace and notes the file has, and save."""
        for key in UPDATABLE:
            if key in self.present:
                setattr(
                    instance,
                    key,
                    record[key] or ("" if key in self.TEXT_FIELDS else None),
                )
        instance.full_clean()
        instance.save()

    TEXT_FIELDS = ("mentors", "workspace", "notes")

    def _check_text_cells(self, values, row):
        """The free-text cells against the fields' own limits (length)."""
        residency = Residency(**{k: values.get(k, "") for k in self.TEXT_FIELDS})
        others = [
            f.name for f in Residency._meta.fields if f.name not in self.TEXT_FIELDS
        ]
        try:
            residency.clean_fields(exclude=others)
        except ValidationError as exc:
            row.error_from(exc)

    def _organization(self, row):
        values, error = row.values, row.error
        if values.get("uscc"):
            return self.organizations.find(row)
        if not values.get("organization"):
            return None
        matches = list(Organization.objects.filter(name=values["organization"])[:2])
        if not matches:
            error(
                "organization",
                _("No registered organization is called “%(name)s”.")
                % {"name": values["organization"]},
            )
            return None
        if len(matches) > 1:
            error(
                "organization",
                _("Several organizations are called “%(name)s”: give the code.")
                % {"name": values["organization"]},
            )
            return None
        return matches[0]

    def write(self, records, user):
        """Admit every validated row; call inside a transaction."""
        for record in records:
            fields = {k: v for k, v in record.items() if k != "match"}
            residency_admit(user=user, note=str(_("Imported")), **fields)
        return len(records)


# The residents listing's export: (attribute path, heading) per column.
EXPORT_FIELDS = ResidencyImporter.export_fields()
