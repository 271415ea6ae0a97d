"""What the admin search finds of incubation: organizations, bases, residencies."""

from django.utils.translation import gettext_lazy as _

from core.admin_search import Hit, SearchSection, first_hits, listing_url, record_url
from core.search import text_filter
from incubator.models import Organization
from incubator.permissions import bases_visible_to, residencies_visible_to

ORGANIZATION_FIELDS = ("name", "uscc", "filing_number")
BASE_FIELDS = ("name", "region__name")
RESIDENCY_FIELDS = ("organization__name", "organization__uscc", "base__name")


def _sees_registry(user):
    return user.has_perm("incubator.view_organization")


def organizations_matching(user, text):
    """(count, hits) of the registry matching `text` by name, USCC (18 characters,
    any part) or filing number — the registry as its listing shows it to `user`
    (every holder of `incubator.view_organization`; none otherwise)."""
    if not _sees_registry(user):
        return 0, []
    found = text_filter(
        Organization.objects.select_related("region"), text, ORGANIZATION_FIELDS
    )
    return first_hits(
        found.order_by("name"),
        lambda org: Hit(
            org.name,
            " · ".join(
                filter(None, [org.uscc or org.filing_number, str(org.region or "")])
            ),
            record_url(user, org),
        ),
    )


def bases_matching(user, text):
    """(count, hits) of the incubation bases `user` may see (`bases_visible_to`)."""
    found = text_filter(
        bases_visible_to(user).select_related("region"), text, BASE_FIELDS
    )
    return first_hits(
        found.order_by("name"),
        lambda base: Hit(base.name, str(base.region or ""), record_url(user, base)),
    )


def residencies_matching(user, text):
    """(count, hits) of the residencies of the bases `user` may see
    (`residencies_visible_to`: an operator, her own bases' residents only)."""
    found = text_filter(
        residencies_visible_to(user).select_related("organization", "base"),
        text,
        RESIDENCY_FIELDS,
    )
    return first_hits(
        found.order_by("organization__name"),
        lambda r: Hit(
            str(r.organization),
            f"{r.base} · {r.get_stage_display()}",
            record_url(user, r),
        ),
    )


def organizations_section():
    return SearchSection(
        name="organizations",
        label=_("Social organizations"),
        order=10,
        shown=_sees_registry,
        search=organizations_matching,
        more_url=lambda text: listing_url(Organization, text),
    )


def bases_section():
    from incubator.models import IncubationBase

    return SearchSection(
        name="bases",
        label=_("Incubation bases"),
        order=20,
        shown=lambda user: bases_visible_to(user).exists(),
        search=bases_matching,
        more_url=lambda text: listing_url(IncubationBase, text),
    )


def residencies_section():
    from incubator.models import Residency

    return SearchSection(
        name="residencies",
        label=_("Residents"),
        order=30,
        shown=lambda user: user.has_perm("incubator.view_residency"),
        search=residencies_matching,
        more_url=lambda text: listing_url(Residency, text),
    )
