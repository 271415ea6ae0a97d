"""What the public may read about an organization.

`PUBLIC_ORGANIZATION_FIELDS` is an allow-list: a public page shows these registry
fields and nothing else, so personal data (`incubator.models.organizations.
PERSONAL_FIELDS`: legal representative, contacts) never reaches a public page even
when a template is careless. Tests render every public page type with personal data
present and assert it is absent.
"""

from django.utils.translation import gettext_lazy as _

PUBLIC_ORGANIZATION_FIELDS = (
    "name",
    "uscc",
    "org_type",
    "registration_level",
    "region",
    "founded_on",
    "service_fields",
    "rating",
    "party_organization",
)


def region_prefix(code):
    """The code prefix shared by a division and everything under it:
    430000 → 43, 433100 → 4331, 430111 → 430111."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


#: The registry columns `organization_public_facts` reads (and the page's heading, the
#: name): a showcase page loads only these (`only`), with the region's names up to
#: the province.
PUBLIC_FACT_COLUMNS = (
    "name",
    "uscc",
    "org_type",
    "registration_level",
    "region",
    "region__name",
    "region__parent",
    "region__parent__name",
    "region__parent__parent",
    "region__parent__parent__name",
    "region__parent__parent__parent",
    "founded_on",
    "rating",
    "rating_valid_until",
    "party_organization",
)


def organization_public_facts(organization):
    """(label, value) pairs for the public page, from the allow-list only.
    Expects `region__parent__parent` selected and `service_fields` prefetched."""
    facts = [
        (_("Unified social credit code"), organization.uscc or ""),
        (_("Type"), organization.get_org_type_display()),
        (_("Registration level"), organization.get_registration_level_display()),
        (_("Region"), organization.region.full_name),
        (
            _("Founded"),
            organization.founded_on.strftime("%Y") if organization.founded_on else "",
        ),
        (_("Service fields"), organization.service_fields_display()),
        (_("Rating"), organization.current_rating),
        (_("Party organization"), organization.get_party_organization_display()),
    ]
    return [(label, value) for label, value in facts if value]
