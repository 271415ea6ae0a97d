"""Finding organizations by their unified social credit code, for the imports."""

from django.utils.translation import gettext as _

from incubator.models import Organization


class OrganizationsByCode:
    """
    Every registered organization with a unified social credit code (统一社会信用代码),
    loaded once, found by its code.

    The imports of residents, awards, purchases, pairings and projects all name an
    organization by its code; this is their one lookup and their one refusal.
    """

    def __init__(self):
        self.by_code = {o.uscc: o for o in Organization.objects.exclude(uscc=None)}

    def get(self, code):
        """The organization with `code` (any letter case), or None."""
        return self.by_code.get((code or "").strip().upper())

    def find(self, row, key="uscc"):
        """The organization named by the cell `key` of the parsed `row`, or None:
        None without an error when the cell is empty, with an error on that cell
        (in the user's language) when no organization has the code. The cell's
        value is upper-cased in place, as codes are stored."""
        code = row.values.get(key)
        if not code:
            return None
        row.values[key] = code = code.strip().upper()
        organization = self.by_code.get(code)
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
