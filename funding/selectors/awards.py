"""Reads of one award for its desk."""

from funding.choices import ApplicationStatus as S

#: The statuses after which an award takes no more payments, reports or
#: termination (`funding.services.disbursements`, `funding.services.awards`).
CLOSED = (S.COMPLETED, S.TERMINATED)


def award_is_closed(award):
    """True when the award is completed (结项) or terminated (终止): its desk then
    offers no form the services would refuse (recording a disbursement, a report,
    completing or terminating)."""
    return award.application.status in CLOSED
