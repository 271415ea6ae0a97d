"""The columns of the organization spreadsheet: one list for both export and import,
so an exported file can be edited and imported again."""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column, choice_parser, parse_date, split_list
from incubator.choices import (
    OrganizationType,
    PartyOrganization,
    Rating,
    RegistrationLevel,
    RegistrationStatus,
)

ORGANIZATION_COLUMNS = [
    Column("name", _("name"), required=True),
    Column("uscc", _("unified social credit code"), aliases=("统一代码", "信用代码")),
    Column("filing_number", _("filing number")),
    Column(
        "org_type",
        _("type"),
        required=True,
        parse=choice_parser(OrganizationType.choices),
    ),
    Column(
        "registration_level",
        _("registration level"),
        required=True,
        parse=choice_parser(RegistrationLevel.choices),
    ),
    Column("region_code", _("division code"), required=True, aliases=("区划代码",)),
    Column("business_supervisor", _("business supervisor")),
    Column("founded_on", _("founded on"), parse=parse_date),
    Column("service_fields", _("service fields"), parse=split_list),
    Column(
        "party_organization",
        _("party organization"),
        parse=choice_parser(PartyOrganization.choices),
    ),
    Column("rating", _("rating"), parse=choice_parser(Rating.choices)),
    Column("rated_on", _("rated on"), parse=parse_date),
    Column(
        "registration_status",
        _("registration status"),
        parse=choice_parser(RegistrationStatus.choices),
    ),
    Column("legal_representative", _("legal representative")),
    Column("contact_name", _("contact person")),
    Column("contact_phone", _("contact phone")),
    Column("contact_email", _("contact email")),
]

# The export's columns that are not imported (shown for reading, or derived): a file
# exported from the listing can be imported again with them in it.
REGION_NAME = ("region.full_name", _("region"))
RATING_VALID_UNTIL = ("rating_valid_until", _("rating valid until"))
CREDIT_STATUS = ("get_credit_status_display", _("credit status"))
READ_ONLY_EXPORT_HEADERS = [
    label for _field, label in (REGION_NAME, RATING_VALID_UNTIL, CREDIT_STATUS)
]

# Export: the import columns plus the read-only ones.
EXPORT_FIELDS = [
    ("name", _("name")),
    ("uscc", _("unified social credit code")),
    ("filing_number", _("filing number")),
    ("get_org_type_display", _("type")),
    ("get_registration_level_display", _("registration level")),
    ("region.code", _("division code")),
    REGION_NAME,
    ("business_supervisor", _("business supervisor")),
    ("founded_on", _("founded on")),
    ("service_fields_display", _("service fields")),
    ("get_party_organization_display", _("party organization")),
    ("rating", _("rating")),
    ("rated_on", _("rated on")),
    RATING_VALID_UNTIL,
    CREDIT_STATUS,
    ("get_registration_status_display", _("registration status")),
    ("legal_representative", _("legal representative")),
    ("contact_name", _("contact person")),
    ("contact_phone", _("contact phone")),
    ("contact_email", _("contact email")),
]
