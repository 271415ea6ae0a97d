"""Where a pairing or project helps, found by the code an officer writes: a county's
division code, or a village's 12-digit code when the village is on record; and the
search of villages by name or code for the admin's listing and chooser."""

import re
import unicodedata

from django.db.models import Q
from django.utils.translation import gettext as _

from core.models import Region
from projects.models import Village


def village_codes_loaded():
    """True when at least one village carries a code (`manage.py load_villages` has
    run); `setup_platform` says how to load them otherwise."""
    return Village.objects.filter(code__isnull=False).exists()


def place_code_normalise(code):
    """The code as the lookup reads it: full-width digits as ASCII ones (４３３１２７
    → 433127, as a code copied from a Word document is written), spaces dropped,
    and the 12-digit form of a county or town code (统计用区划代码 pads them:
    433127000000 → 433127, 433127101000 → 433127101; 433127000 → 433127). Village
    codes never end in 000."""
    code = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(code)))
    if re.fullmatch(r"[0-9]{12}", code):
        if code.endswith("000000"):
            return code[:6]
        if code.endswith("000"):
            return code[:9]
    if re.fullmatch(r"[0-9]{9}", code) and code.endswith("000"):
        return code[:6]
    return code


class PlaceLookup:
    """Resolves the code in a pairing or project row to (county, village or None).

    Loads every county once (about 3,000); a village is looked up by its code only
    when a row names it, one query per distinct code (cached), so a national table
    of 620,000 villages is never read into memory. `resolve(code)` returns the pair,
    or raises `LookupError` with the message for the user: an unknown code; a
    province, city or town (乡镇/街道) code (a pairing helps a county or a village,
    DESIGN §2)."""

    def __init__(self):
        self.regions = {r.code: r for r in Region.objects.all()}
        self._villages = {}
        self._towns = {}

    def village(self, code):
        """The recorded village of this 12-digit code (with its county), or None."""
        if code not in self._villages:
            self._villages[code] = (
                Village.objects.select_related("county").filter(code=code).first()
            )
        return self._villages[code]

    def town_name(self, code):
        """The name of the town of this 9-digit code, from the villages loaded under
        it; "" when none is loaded."""
        if code not in self._towns:
            self._towns[code] = (
                Village.objects.filter(town_code=code)
                .values_list("town", flat=True)
                .first()
                or ""
            )
        return self._towns[code]

    def resolve(self, code):
        code = place_code_normalise(code)
        if len(code) == 12 and code.isascii() and code.isdigit():
            village = self.village(code)
            if village is not None:
                return village.county, village
            county = self.regions.get(code[:6])
            if county is not None and county.level == Region.Level.COUNTY:
                raise LookupError(
                    _(
                        "“%(code)s” is not a village on record in %(county)s: the "
                        "villages of the division data are loaded by an "
                        "administrator (load_villages), or write the county's code."
                    )
                    % {"code": code, "county": county.full_name}
                )
        if len(code) == 9 and code.isascii() and code.isdigit():
            name = self.town_name(code)
            if name:
                message = _(
                    "“%(code)s” is %(name)s, a town (township or subdistrict): write the code of a "
                    "county or of a village."
                ) % {"code": code, "name": name}
            else:
                message = _(
                    "“%(code)s” is the code of a town (township or subdistrict): write the code of "
                    "a county or of a village."
                ) % {"code": code}
            raise LookupError(message)
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


def villages_matching(queryset, text):
    """`queryset` of villages narrowed to those `text` names. Each word (split on
    spaces) must match: digits match the start of the village code (a county's 6
    digits list its villages, a town's 9 its town's); other words are looked for in
    the village, town and county names (“永顺 双凤” finds 双凤村 of 永顺县).
    Full-width digits and spaces are read as ASCII ones."""
    for word in unicodedata.normalize("NFKC", text or "").split():
        if word.isascii() and word.isdigit():
            # A range rather than LIKE, so the code's unique index serves it (codes
            # are digits only; ":" follows "9").
            queryset = queryset.filter(code__gte=word, code__lt=word + ":")
        else:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(town__icontains=word)
                | Q(county__name__icontains=word)
            )
    return queryset
