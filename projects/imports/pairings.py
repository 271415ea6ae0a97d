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
from core.spreadsheets import Column, parse_date
from incubator.selectors.organizations import OrganizationsByCode
from projects.models import Alliance, Pairing
from projects.permissions import user_sees_all_pairings
from projects.selectors.places import PlaceLookup

PAIRING_COLUMNS = [
    Column(
        "uscc",
        gettext_lazy("unified social credit code"),
        required=True,
        aliases=("统一代码", "信用代码"),
    ),
    Column(
        "region_code",
        gettext_lazy("pairing region code"),
        required=True,
        aliases=("地区代码", "区划代码", "帮扶地区代码"),
    ),
    Column("alliance", gettext_lazy("alliance"), aliases=("合力团名称",)),
    Column("start_date", gettext_lazy("start date"), parse=parse_date),
]


@register
class PairingImporter(BaseImporter):
    """New pairings, one per row; a pairing already recorded (same organization and
    place), or twice in the file, is refused. An alliance named in the file that
    does not exist yet is created for the row's county. Records are
    (unsaved Pairing, Alliance saved or not)."""

    kind = "pairings"
    label = gettext_lazy("Import pairings")
    columns = PAIRING_COLUMNS
    permissions_required = ("projects.add_pairing",)
    model = Pairing
    index_url_name = "wagtailsnippets_projects_pairing:list"
    natural_key = ("uscc", "region_code")

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.places = PlaceLookup()
        self.alliances = {a.name: a for a in Alliance.objects.all()}
        self.stored_keys = set(
            Pairing.objects.values_list("organization_id", "county_id", "village_id")
        )
        self.seen = {}
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
        key = (organization.pk, county.pk, village.pk if village else None)
        if key in self.stored_keys:
            error("region_code", _("This organization is already paired with it."))
        elif key in self.seen:
            error(
                "region_code",
                _("The same pairing is already in row %(row)s of this file.")
                % {"row": self.seen[key]},
            )
        else:
            self.seen[key] = row.number
        return (pairing, alliance)

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
            pairings.append(pairing)
        created = bulk_create_with_history(
            pairings, Pairing, batch_size=500, default_user=user
        )
        if user is not None and not user_sees_all_pairings(user):
            for pairing in created:
                pairing.coordinators.add(user)
        return len(created)
