"""Where a pairing or project helps, found by the code an officer writes: a county's
division code, or a village's code when the village is on record."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from core.models import Region
from projects.models import Village


def village_codes_known():
    """True when villages carry a code of their own (loaded from the division data
    package); until then only county codes resolve."""
    try:
        Village._meta.get_field("code")
    except FieldDoesNotExist:
        return False
    return True


class PlaceLookup:
    """Resolves the code in a pairing or project row to (county, village or None).

    Loads every county and, when villages have codes, every village once, so a
    file of thousands of rows costs two queries. `resolve(code)` returns the pair,
    or raises `LookupError` with the message for the user: an unknown code, or a
    province or city code (a pairing helps a county or a village, DESIGN §2)."""

    def __init__(self):
        self.regions = {r.code: r for r in Region.objects.all()}
        self.villages = {}
        if village_codes_known():
            for village in Village.objects.select_related("county"):
                if village.code:
                    self.villages[village.code] = village

    def resolve(self, code):
        village = self.villages.get(code)
        if village is not None:
            return village.county, village
        region = self.regions.get(code)
        if region is None:
            raise LookupError(
                _("“%(code)s” is not the code of a county or of a recorded village.")
                % {"code": code}
            )
        if region.level != Region.Level.COUNTY:
            raise LookupError(
                _(
                    "“%(code)s” is %(name)s, a %(level)s: write the code of a county "
                    "or of a village."
                )
                % {
                    "code": code,
                    "name": region.name,
                    "level": region.get_level_display(),
                }
            )
        return region, None
