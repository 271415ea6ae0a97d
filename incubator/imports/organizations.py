"""Importing organizations from Excel/CSV: the organization columns, then the importer.

One column list serves the import, its template and the organization listing's
export (`EXPORT_FIELDS`), so an exported file can be edited and imported again.
Every row is validated, then all are written at once.
"""

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bulk import auto_dated, rows_insert, values_insert
from core.imports import BaseImporter, register
from core.models import Region
from core.spreadsheets import Column, choice_parser, parse_date, split_list, uscc_column
from incubator.choices import (
    ORGANIZATION_TYPE_ALIASES,
    RATING_ALIASES,
    REGISTRATION_LEVEL_ALIASES,
    OrganizationType,
    PartyOrganization,
    Rating,
    RegistrationLevel,
    RegistrationStatus,
)
from incubator.models import Organization, ServiceField
from incubator.uscc import uscc_compact

# In the export's order. The read-only columns (a region's name, derived values)
# are exported for reading and ignored when the file is imported again.
ORGANIZATION_COLUMNS = [
    Column("name", gettext_lazy("name"), required=True),
    uscc_column(),
    Column("filing_number", gettext_lazy("filing number")),
    Column(
        "org_type",
        gettext_lazy("type"),
        required=True,
        parse=choice_parser(OrganizationType.choices, ORGANIZATION_TYPE_ALIASES),
        export="get_org_type_display",
    ),
    Column(
        "registration_level",
        gettext_lazy("registration level"),
        required=True,
        parse=choice_parser(RegistrationLevel.choices, REGISTRATION_LEVEL_ALIASES),
        export="get_registration_level_display",
    ),
    Column(
        "region_code",
        gettext_lazy("division code"),
        required=True,
        aliases=("区划代码",),
        export="region.code",
    ),
    Column(
        "region_name",
        gettext_lazy("region"),
        export="region.full_name",
        read_only=True,
    ),
    Column("business_supervisor", gettext_lazy("business supervisor")),
    Column("founded_on", gettext_lazy("founded on"), parse=parse_date),
    Column(
        "service_fields",
        gettext_lazy("service fields"),
        parse=split_list,
        export="service_fields_display",
    ),
    Column(
        "party_organization",
        gettext_lazy("party organization"),
        parse=choice_parser(PartyOrganization.choices),
        export="get_party_organization_display",
    ),
    Column(
        "rating",
        gettext_lazy("rating"),
        parse=choice_parser(Rating.choices, RATING_ALIASES),
    ),
    Column("rated_on", gettext_lazy("rated on"), parse=parse_date),
    Column("rating_valid_until", gettext_lazy("rating valid until"), read_only=True),
    Column(
        "credit_status",
        gettext_lazy("credit status"),
        export="get_credit_status_display",
        read_only=True,
    ),
    Column(
        "registration_status",
        gettext_lazy("registration status"),
        parse=choice_parser(RegistrationStatus.choices),
        export="get_registration_status_display",
    ),
    Column("legal_representative", gettext_lazy("legal representative")),
    Column("contact_name", gettext_lazy("contact person")),
    Column("contact_phone", gettext_lazy("contact phone")),
    Column("contact_email", gettext_lazy("contact email")),
]


class OrganizationValues:
    """A validated row of the import, kept small until it is written: its
    organization's field values as one tuple (attributes read like the
    organization's: `.name`, `.uscc`, `.region`; not the creation and update
    times, which the write sets), about a fifth of the memory of an
    unsaved Organization — 100,000 rows wait for the preview and the write."""

    __slots__ = ("_values",)
    NAMES = tuple(
        f.attname
        for f in Organization._meta.concrete_fields
        if not (f.primary_key or f.name == "region" or auto_dated(f))
    ) + ("region",)
    _INDEX = {name: i for i, name in enumerate(NAMES)}

    def __init__(self, org):
        region = org.region if org.region_id is not None else None
        self._values = tuple(getattr(org, name) for name in self.NAMES[:-1]) + (region,)

    def __getattr__(self, name):
        try:
            return self._values[self._INDEX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __str__(self):
        return self.name

    def db_values(self):
        """The values in the order of NAMES, the region as its key (`region_id`)."""
        region = self._values[-1]
        return self._values[:-1] + (region.pk if region is not None else None,)


def _stored(name, values):
    """Which of `values` (a set of texts) field `name` of a stored organization
    holds, as a set. PostgreSQL: one query, the values as one array parameter
    (`= ANY(%s)`; an `IN` of 10,000 placeholders costs more to build and send than
    to answer); elsewhere KEYS_CHUNK values per `IN`."""
    if not values:
        return set()
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        column = quote(Organization._meta.get_field(name).column)
        table = quote(Organization._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)",  # noqa: S608 - the model's table
                [list(values)],
            )
            return {row[0] for row in cursor.fetchall()}
    ordered = sorted(values)
    stored = set()
    for start in range(0, len(ordered), KEYS_CHUNK):
        stored.update(
            Organization.objects.filter(
                **{f"{name}__in": ordered[start : start + KEYS_CHUNK]}
            ).values_list(name, flat=True)
        )
    return stored


# Organization's concrete fields, in order, and for each a default when a row has
# no cell for it: (name, constant default, callable default or None).
_FIELDS = tuple(
    (
        f.name,
        None if f.primary_key or callable(f.default) else f.get_default(),
        f.get_default if callable(f.default) and not f.primary_key else None,
    )
    for f in Organization._meta.concrete_fields
)
_REGION = Organization._meta.get_field("region")


def _unsaved_organization(values, region):
    """The unsaved Organization of a row's parsed cells (`values`, by field name;
    others ignored) and `region` (a Region or None): what `Organization(**values,
    region=region)` builds, at a fifth of its cost — the model's positional
    constructor, without wagtail's ClusterableModel step (which looks for child
    relations among the keyword arguments: there are none here)."""
    args = []
    for name, constant, default in _FIELDS:
        if name == "region":
            args.append(region.pk if region is not None else None)
        elif name in values:
            args.append(values[name])
        else:
            args.append(default() if default is not None else constant)
    org = Organization.__new__(Organization)
    models.Model.__init__(org, *args)
    _REGION.set_cached_value(org, region)
    return org


WRITE_CHUNK = 2_000  # organizations built and written at a time
KEYS_CHUNK = 10_000  # codes looked up per query


@register
class OrganizationImporter(BaseImporter):
    """Organizations, one per row, keyed by the unified social credit code, or by
    the filing number of a filed community organization without one. A row whose
    key is stored updates that organization (after the preview's confirmation);
    a key twice in the file is refused. Records are (OrganizationValues,
    (ServiceField, …))."""

    kind = "organizations"
    label = gettext_lazy("Import organizations")
    columns = ORGANIZATION_COLUMNS
    permissions_required = (
        "incubator.add_organization",
        "incubator.change_organization",
    )
    model = Organization
    index_url_name = "wagtailsnippets_incubator_organization:list"
    natural_key = ("uscc", "filing_number")
    exists_message = gettext_lazy(
        "An organization with this code is already registered."
    )
    duplicate_message = gettext_lazy(
        "The same code is already in row %(row)s of this file."
    )

    def prepare(self):
        self.regions = {r.code: r for r in Region.objects.all()}
        self.fields = {f.name: f for f in ServiceField.objects.all()}

    def row_key(self, values):
        """("uscc", CODE) when the row has a code (compact, as it is stored), else
        ("filing", NUMBER) when it has a filing number (a community organization
        filed, not registered), else None (always new)."""
        if values.get("uscc"):
            # as stored (`uscc_validate` compacts it): "5243 0900…" is "52430900…"
            return ("uscc", uscc_compact(values["uscc"]))
        if values.get("filing_number"):
            return ("filing", values["filing_number"].strip())
        return None

    def existing(self, keys):
        """The stored organizations of `keys` (("uscc", CODE) / ("filing",
        NUMBER) pairs), as a dict key → Organization with its region and service
        fields loaded. The codes stored are looked up first (`_stored`), so that
        only the organizations a file updates are loaded, KEYS_CHUNK at a time."""
        usccs = _stored("uscc", {value for kind, value in keys if kind == "uscc"})
        filings = _stored(
            "filing_number", {value for kind, value in keys if kind == "filing"}
        )
        found = {}
        ordered = sorted(
            [("uscc", value) for value in usccs]
            + [("filing", value) for value in filings]
        )
        for start in range(0, len(ordered), KEYS_CHUNK):
            chunk = ordered[start : start + KEYS_CHUNK]
            stored = (
                Organization.objects.filter(
                    Q(uscc__in=[v for kind, v in chunk if kind == "uscc"])
                    | Q(filing_number__in=[v for kind, v in chunk if kind == "filing"])
                )
                .select_related("region")
                .prefetch_related("service_fields")
            )
            for org in stored:
                if org.uscc in usccs:
                    found[("uscc", org.uscc)] = org
                if org.filing_number in filings:
                    found.setdefault(("filing", org.filing_number), org)
        return found

    # The model fields a column writes as it is (the others: region, fields).
    PLAIN_FIELDS = {f.name for f in Organization._meta.concrete_fields} - {
        "id",
        "region",
    }

    def apply(self, instance, record):
        """Set the columns the file has and its service fields when the file has
        them, check the organization as a whole (codes, uniqueness) and save it
        with them."""
        org, service_fields = record
        for key in self.present:
            if key == "region_code":
                instance.region = org.region
            elif key in self.PLAIN_FIELDS:
                setattr(instance, key, getattr(org, key))
        if "service_fields" in self.present:
            # A ParentalManyToManyField: kept on the instance, written by its save()
            # (set after the save, an update's new fields were never stored).
            instance.service_fields.set(service_fields)
        instance.full_clean(exclude=["service_fields"])
        instance.save()

    def validate_row(self, row):
        values, error = row.values, row.error
        region = None
        if "region_code" in values:
            region = self.regions.get(values["region_code"])
            if region is None:
                error(
                    "region_code",
                    _("“%(code)s” is not a known administrative division code.")
                    % {"code": values["region_code"]},
                )
        service_fields = []
        for name in values.get("service_fields", []):
            if name in self.fields:
                # a field named twice ("养老、养老") is the one field, once
                if self.fields[name] not in service_fields:
                    service_fields.append(self.fields[name])
            elif not self.fields:
                error(
                    "service_fields",
                    _(
                        "“%(value)s” is not a service field: none is set up yet. "
                        "An administrator adds them (service fields), or runs "
                        "“manage.py setup_platform” for the standard list."
                    )
                    % {"value": name},
                )
            else:
                error(
                    "service_fields",
                    _("“%(value)s” is not a service field; use one of: %(allowed)s")
                    % {"value": name, "allowed": "、".join(self.fields)},
                )

        org = _unsaved_organization(values, region)
        # Every cell is checked, whatever else is wrong in the row; a cell that
        # already has an error (it could not be read) gets no second one.
        failed = {e.column for e in row.errors}
        keys = {label: key for key, label in row.labels.items()}
        failed_keys = {keys.get(column, column) for column in failed}
        for check in (
            org.clean,
            lambda: org.clean_fields(
                exclude=["region", "service_fields", "uscc", *failed_keys]
            ),
        ):
            try:
                check()
            except ValidationError as exc:
                exc = ValidationError(
                    {
                        field: messages
                        for field, messages in exc.message_dict.items()
                        if field not in failed_keys
                    }
                )
                if exc.message_dict:
                    row.error_from(exc, default="name")
        return (OrganizationValues(org), tuple(service_fields))

    def write(self, records, user):
        """Write validated records, with a "+" history row each naming `user`, and
        their service fields; call inside a transaction. Plain INSERTs in chunks
        straight from the validated values (`core.bulk.values_insert`): 100,000
        rows in seconds, not minutes."""
        attnames = OrganizationValues.NAMES[:-1] + ("region_id",)
        written = 0
        for start in range(0, len(records), WRITE_CHUNK):
            chunk = records[start : start + WRITE_CHUNK]
            ids = values_insert(
                Organization,
                attnames,
                [values.db_values() for values, _fields in chunk],
                history_user=user,
            )
            rows_insert(
                Organization.service_fields.through,
                ("organization_id", "servicefield_id"),
                (
                    (pk, field.pk)
                    for pk, (_values, fields) in zip(ids, chunk, strict=True)
                    for field in fields
                ),
            )
            written += len(ids)
        return written


# The organization listing's export: (attribute path, heading) per column.
EXPORT_FIELDS = OrganizationImporter.export_fields()
