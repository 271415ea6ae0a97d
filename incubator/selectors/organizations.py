"""Finding organizations by their unified social credit code, for the imports."""

from django.utils.translation import gettext as _

from incubator.models import Organization
from incubator.uscc import uscc_compact


class OrganizationsByCode:
    """
    Registered organizations found by their unified social credit code
    (统一社会信用代码), each looked up once when a row first names it and kept.

    The imports of residents, awards, purchases, pairings and projects all name an
    organization by its code; this is their one lookup and their one refusal. A
    registry of a million organizations is never loaded whole: memory grows with
    the codes a file names, not with the registry.
    """

    def __init__(self):
        self.by_code = {}  # compact code → Organization, or None when unknown

    def get(self, code):
        """The organization with `code` (however typed: spaces, hyphens,
        full-width characters, any letter case — `uscc_compact`), or None."""
        code = uscc_compact(code)
        if not code:
            return None
        if code not in self.by_code:
            self.by_code[code] = Organization.objects.filter(uscc=code).first()
        return self.by_code[code]

    def find(self, row, key="uscc"):
        """The organization named by the cell `key` of the parsed `row`, or None:
        None without an error when the cell is empty, with an error on that cell
        (in the user's language) when no organization has the code. The cell's
        value is made the code as stored (`uscc_compact`) in place."""
        code = row.values.get(key)
        if not code:
            return None
        row.values[key] = code = uscc_compact(code)
        organization = self.get(code)
        if organization is None:
            row.error(
                key,
                _(
                    "No organization with the code “%(code)s” is registered: "
                    "import or add it first."
                )
                % {"code": code},
            )
        return organization
