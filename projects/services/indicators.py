"""The indicator catalogue: what may change once figures have been approved.

Issue 13, item 11: switching an indicator from sum to ratio after approved data
existed turned the official county total 346 into a blank. An indicator's
aggregation rule and unit are what its approved figures mean, so they are fixed once
any approved outcome line uses the indicator. A different rule or unit is a new
indicator: add it to the catalogue (new code and name) and set the old one "not in
use", so old figures keep their meaning and new reports use the new one. Name,
group, evidence, definition, order and "in use" stay editable.
"""

from django.utils.translation import gettext as _

from projects.choices import ReportStatus
from projects.services import ProjectsError

FIXED_FIELDS = ("aggregation", "unit")


def indicator_approved_lines(indicator):
    """Number of approved outcome lines that use `indicator` (0 for a new one)."""
    from projects.models import OutcomeLine

    if not indicator.pk:
        return 0
    return OutcomeLine.objects.filter(
        indicator_id=indicator.pk, report__status=ReportStatus.APPROVED
    ).count()


def indicator_fixed_reason(indicator):
    """Why the aggregation rule and unit cannot change, or "" when they can."""
    count = indicator_approved_lines(indicator)
    if not count:
        return ""
    return _(
        "Approved figures already use this indicator (%(count)s lines), so its "
        "aggregation rule and unit are fixed: changing them would rewrite official "
        "totals. For a different rule or unit, add a new indicator to the catalogue "
        "and set this one not in use."
    ) % {"count": count}


def indicator_check_fixed(indicator):
    """Refuse (ProjectsError on the changed field) a change of aggregation rule or
    unit of an indicator that approved figures use. Called by Indicator.clean and
    Indicator.save, so every path (admin, scripts, imports) meets it."""
    from projects.models import Indicator

    if not indicator.pk:
        return
    stored = Indicator.objects.filter(pk=indicator.pk).values(*FIXED_FIELDS).first()
    if stored is None:
        return
    changed = [f for f in FIXED_FIELDS if stored[f] != getattr(indicator, f)]
    if not changed:
        return
    reason = indicator_fixed_reason(indicator)
    if reason:
        raise ProjectsError(dict.fromkeys(changed, reason))
