"""What a reviewer may see of an application (blind review) — one place for pages,
exports and attachment names."""

from django.utils.translation import gettext as _

from funding.choices import IDENTIFYING_FIELD_CHOICES

HIDDEN = "■■■"


def is_blind(call):
    return call.blind_review


def applicant_name(application):
    if is_blind(application.call):
        return str(application.reference)
    return application.organization.name


def reviewer_view(application):
    """The rows of the application shown to a reviewer, blind fields hidden."""
    call = application.call
    blind = is_blind(call)
    hidden = set(call.identifying_fields) if blind else set()
    org = application.organization
    rows = [(_("Number"), str(application.reference))]
    if not blind:
        rows += [
            (_("Applicant"), org.name),
            (_("Unified social credit code"), org.uscc or org.filing_number),
            (_("Contact person"), org.contact_name),
            (_("Contact phone"), org.contact_phone),
            (_("Contact email"), org.contact_email),
        ]
    rows += [
        (_("Organization type"), org.get_org_type_display()),
        (_("Registration level"), org.get_registration_level_display()),
    ]
    labels = dict(IDENTIFYING_FIELD_CHOICES)
    values = {
        "title": application.title,
        "summary": application.summary,
        "target_region": str(application.target_region or ""),
        "beneficiaries": _join_beneficiaries(application),
    }
    for name, value in values.items():
        rows.append((labels[name], HIDDEN if name in hidden else value))
    rows.append((_("Requested amount (yuan)"), application.requested_amount))
    return rows


def _join_beneficiaries(application):
    if application.beneficiary_count:
        return f"{application.beneficiaries}（{application.beneficiary_count}人）"
    return application.beneficiaries


def attachment_name(attachment, number):
    """Under blind review an attachment is called by number, never by its title or
    file name (which often carry the applicant's name)."""
    extension = attachment.document.file_extension
    if is_blind(attachment.application.call):
        return f"{_('Attachment')}-{number}.{extension}"
    return f"{attachment.title}.{extension}"


def title_for_reviewer(application):
    call = application.call
    if is_blind(call) and "title" in call.identifying_fields:
        return str(application.reference)
    return application.title
