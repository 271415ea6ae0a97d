"""形式审查: the eligibility rules of a call, each failure with its reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import yuan_text
from funding.choices import ApplicationStatus
from funding.errors import FundingError
from funding.services.applications import application_move
from incubator.choices import CreditStatus, OrganizationType, RegistrationLevel


def eligibility_failures(application, on=None):
    """Every rule the application breaks, as messages (empty list = eligible)."""
    call = application.call
    org = application.organization
    on = on or timezone.localdate()
    failures = []
    submitted_on = (
        timezone.localdate(application.submitted_at) if application.submitted_at else on
    )
    if not call.is_open(submitted_on):
        failures.append(
            _("Submitted on %(date)s, outside the call (%(opens)s – %(closes)s).")
            % {"date": submitted_on, "opens": call.opens_on, "closes": call.closes_on}
        )
    if call.eligible_levels and org.registration_level not in call.eligible_levels:
        failures.append(
            _(
                "Organizations registered at %(level)s level are not eligible "
                "(eligible: %(allowed)s)."
            )
            % {
                "level": RegistrationLevel(org.registration_level).label,
                "allowed": "、".join(
                    str(RegistrationLevel(v).label) for v in call.eligible_levels
                ),
            }
        )
    if call.eligible_types and org.org_type not in call.eligible_types:
        failures.append(
            _(
                "Organizations of type “%(type)s” are not eligible (eligible: %(allowed)s)."
            )
            % {
                "type": OrganizationType(org.org_type).label,
                "allowed": "、".join(
                    str(OrganizationType(v).label) for v in call.eligible_types
                ),
            }
        )
    if org.credit_status(on) == CreditStatus.SERIOUS_DISHONESTY:
        failures.append(_("The organization is on the serious-dishonesty list."))
    if application.requested_amount > call.max_per_award:
        failures.append(
            _("Requested %(requested)s yuan, more than the maximum of %(max)s yuan.")
            % {
                "requested": yuan_text(application.requested_amount),
                "max": yuan_text(call.max_per_award),
            }
        )
    total = application.budget_total()
    if total != application.requested_amount:
        failures.append(
            _(
                "The budget lines add up to %(total)s yuan, not the requested "
                "%(requested)s yuan."
            )
            % {
                "total": yuan_text(total),
                "requested": yuan_text(application.requested_amount),
            }
        )
    return failures


@transaction.atomic
def application_submit(application, *, user=None):
    application = type(application).objects.select_for_update().get(pk=application.pk)
    return application_move(application, ApplicationStatus.SUBMITTED, user=user)


@transaction.atomic
def application_check_eligibility(application, *, user=None, on=None):
    """Run the rules; move to eligible or to failed with the reasons listed."""
    application = type(application).objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise FundingError(
            _("Only submitted applications are checked; this one is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    failures = eligibility_failures(application, on=on)
    application.eligibility_failures = failures
    if failures:
        return application_move(
            application,
            ApplicationStatus.INELIGIBLE,
            user=user,
            note="；".join(failures),
        )
    return application_move(application, ApplicationStatus.ELIGIBLE, user=user)


def call_check_eligibility(call, *, user=None, on=None):
    """Check every submitted application of a call; returns (eligible, failed)."""
    passed = failed = 0
    for application in call.applications.filter(status=ApplicationStatus.SUBMITTED):
        result = application_check_eligibility(application, user=user, on=on)
        if result.status == ApplicationStatus.ELIGIBLE:
            passed += 1
        else:
            failed += 1
    return passed, failed
