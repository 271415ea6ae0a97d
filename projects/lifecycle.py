"""The life of an outcome report: its allowed moves, in one table.

draft → submitted → returned / approved; returned → submitted again. Applied by
`projects.services.reports` (`report_submit`, `report_approve`, `report_return`).
"""

from projects.choices import ReportStatus

#: status → the statuses a report in it may move to.
TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED, ReportStatus.APPROVED},
    ReportStatus.APPROVED: set(),
}
