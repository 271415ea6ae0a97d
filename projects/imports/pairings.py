"""Importing pairings (结对帮扶) from Excel/CSV: the pairing columns, then the importer.

One row per pairing: the organization by its unified social credit code, the county
or village it helps by code, an optional alliance (合力团) by name and an optional
start date (historical pairings often have none: it is stored as unknown). Every row
is validated, then all are written at once, or none.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.imports import BaseImporter, register
from core.spreadsheets import Column, RowError, parse_date, uscc_column
from incubator.selectors.organizations import OrganizationsByCode
from projects.models import Alliance, Pairing
from projects.permissions import pairings_visible_to, user_sees_all_pairings
from projects.selectors.places import PlaceLookup

# In the export's order. The read-only columns (names, for reading) are exported
# and ignored when the file is imported again.
PAIRING_COLUMNS = [
    uscc_column(export="organization.uscc", required=True),
    Column(
        "region_code",
        gettext_lazy("pairing region code"),
        required=True,
        aliases=("地区代码", "区划代码", "帮扶地区代码"),
        export="place_code",
    ),
    Column(
        "alliance",
        gettext_lazy("alliance"),
        aliases=("合力团名称",),
        export="alliance.name",
    ),
    Column("start_date", gettext_lazy("start date"), parse=parse_date),
    Column(
        "organization",
        gettext_lazy("organization"),
        export="organization.name",
        read_only=True,
    ),
    Column("county", gettext_lazy("county"), export="county.full_name", read_only=True),
    Column("village", gettext_lazy("village"), export="village.name", read_only=True),
]


@register
class PairingImporter(BaseImporter):
    """Pairings, one per row, keyed by organization and place (county, or village
    where the code names one). A row whose pairing is stored updates its alliance
    and start date (after the preview's confirmation); a key twice in the file is
    refused (the core's key checks). A stored pairing outside the uploader's scope
    (a coordinator's: `projects.permissions`) is refused, not changed. An alliance
    named in the file that does not exist yet is created for the row's county.
    Records are (unsaved Pairing, Alliance saved or not)."""

    kind = "pairings"
    label = gettext_lazy("Import pairings")
    columns = PAIRING_COLUMNS
    permissions_required = ("projects.add_pairing", "projects.change_pairing")
    model = Pairing
    index_url_name = "wagtailsnippets_projects_pairing:list"
    natural_key = ("uscc", "region_code")
    exists_message = gettext_lazy(
        "This organization is already paired with this place; import with update "
        "to change the pairing."
    )
    duplicate_message = gettext_lazy(
        "The same pairing is already in row %(row)s of this file."
    )

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.places = PlaceLookup()
        self.alliances = {a.name: a for a in Alliance.objects.all()}
        self.today = datetime.date.today()

    def validate_row(self, row):
        values, error = row.values, row.error
        county = village = alliance = None
        organization = self.organizations.find(row)
        if "region_code" in values:
            try:
                county, village = self.places.resolve(values["region_code"])
            except LookupError as exc:
                error("region_code", exc.args[0])
        start = values.get("start_date")
        if start is not None and start > self.today:
            # a file records pairings that exist (historical records keep their
            # real dates); one not yet begun is recorded on its screen
            error("start_date", _("The date cannot be in the future."))
        if "alliance" in values and county is not None:
            alliance = self._alliance(row, values["alliance"], county)
        if row.errors:
            return None
        pairing = Pairing(
            organization=organization,
            county=county,
            village=village,
            alliance=alliance if alliance and alliance.pk else None,
            start_date=values.get("start_date"),
        )
        try:
            pairing.clean()
        except ValidationError as exc:
            row.error_from(exc, default="region_code")
            return None
        return (pairing, alliance)

    # --- update by key: a pairing is its organization and place ------------------

    def row_key(self, values):
        """(organization pk, county pk, village pk or None), the cells resolved as
        the row is: two codes of one place are one key. None when the row names no
        registered organization or known place (it has an error then)."""
        organization = self.organizations.get(values.get("uscc"))
        if organization is None:
            return None
        try:
            county, village = self.places.resolve(values.get("region_code") or "")
        except LookupError:
            return None
        return (organization.pk, county.pk, village.pk if village else None)

    def _stored(self, keys):
        """The stored pairings of these keys (any scope), in one query."""
        organizations = {key[0] for key in keys}
        counties = {key[1] for key in keys}
        stored = Pairing.objects.filter(
            organization_id__in=organizations, county_id__in=counties
        ).select_related("organization", "county", "village", "alliance")
        return {
            (p.organization_id, p.county_id, p.village_id): p
            for p in stored
            if (p.organization_id, p.county_id, p.village_id) in keys
        }

    def finish(self, result):
        """Refuse the rows naming a stored pairing the uploader does not see (a
        coordinator's pairings are the ones they coordinate): it is neither
        shown nor changed, and not recorded twice."""
        if self.user is None or user_sees_all_pairings(self.user):
            return result
        keys = {self.key_of(record): record for record in result.records}
        stored = self._stored(set(keys))
        if not stored:
            return result
        visible = set(
            pairings_visible_to(self.user)
            .filter(pk__in=[p.pk for p in stored.values()])
            .values_list("pk", flat=True)
        )
        hidden = {key for key, p in stored.items() if p.pk not in visible}
        labels = self._labels()
        kept = []
        for record in result.records:
            if self.key_of(record) not in hidden:
                kept.append(record)
                continue
            result.errors.append(
                RowError(
                    self._sources[id(record)].number,
                    labels["region_code"],
                    _(
                        "This pairing is recorded but is not among the pairings you "
                        "coordinate: it cannot be changed by your import. An "
                        "officer who sees every pairing can change it."
                    ),
                )
            )
        result.records = kept
        return result

    def existing(self, keys):
        """The stored pairings of these keys that the uploader sees."""
        stored = self._stored(keys)
        if self.user is not None and not user_sees_all_pairings(self.user):
            visible = set(
                pairings_visible_to(self.user)
                .filter(pk__in=[p.pk for p in stored.values()])
                .values_list("pk", flat=True)
            )
            stored = {k: p for k, p in stored.items() if p.pk in visible}
        return stored

    def apply(self, instance, record):
        """Set the alliance and start date the file has (an empty cell empties
        them; an alliance named for the first time is created), check the pairing
        (the alliance helps its county, the dates in order) and save it."""
        pairing, alliance = record
        if "alliance" in self.present:
            if alliance is not None and alliance.pk is None:
                alliance._history_user = getattr(instance, "_history_user", None)
                alliance.save()
            instance.alliance = alliance
        if "start_date" in self.present:
            instance.start_date = pairing.start_date
        instance.full_clean(exclude=["agreement"])
        instance.save()

    def _alliance(self, row, name, county):
        """The alliance called `name`, made (unsaved) for `county` when missing;
        None with an error when it helps another county."""
        alliance = self.alliances.get(name)
        if alliance is None:
            alliance = Alliance(name=name, county=county)
            try:
                alliance.clean_fields(exclude=["county", "lead_organization"])
            except ValidationError as exc:
                for messages in exc.message_dict.values():
                    for message in messages:
                        row.error("alliance", message)
                return None
            self.alliances[name] = alliance
        elif alliance.county_id != county.pk:
            row.error(
                "alliance",
                _("The alliance “%(name)s” helps %(county)s, not this county.")
                % {"name": name, "county": alliance.county.full_name},
            )
            return None
        return alliance

    def write(self, records, user):
        """Create the new alliances, then the pairings (with history); a coordinator
        who imports pairings coordinates them, as when recording one by hand.
        Returns how many pairings were written."""
        pairings = []
        for pairing, alliance in records:
            if alliance is not None:
                if alliance.pk is None:
                    alliance._history_user = user
                    alliance.save()
                pairing.alliance = alliance
            # bulk_create skips `Pairing.save`, which sets the flag
            pairing.crosses_provinces = pairing.provinces_differ()
            pairings.append(pairing)
        created = bulk_create_with_history(
            pairings, Pairing, batch_size=500, default_user=user
        )
        if user is not None and not user_sees_all_pairings(user):
            for pairing in created:
                pairing.coordinators.add(user)
        return len(created)


# The pairing listing's export: (attribute path, heading) per column.
EXPORT_FIELDS = PairingImporter.export_fields()
