"""Demo outcome reports filed online by the demo organization (login `org`,
湖南省益阳社工服务中心, `incubator.demo.incubation.demo_organization()`): its pairing
with 安化县 (a key county of Yiyang), one project, a report for 2024 H2 the
coordinator approved (trainings, beneficiaries) and one for 2025 H1 returned with
a reason, both written and submitted by the organization's user. Through the
services; idempotent."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image

from core.models import Region
from projects.choices import FundingKind, PeriodType, ProjectCategory, ProjectStatus
from projects.models import FundingLink, OutcomeReport, Pairing, Project
from projects.services.organization_reports import (
    report_draft_create,
    report_evidence_add,
    report_lines_save,
)
from projects.services.reports import report_approve, report_return, report_submit

COUNTY = "430923"  # 安化县
TITLE = "安化县留守儿童阅读小屋项目"
RETURN_REASON = (
    "受益人数与签到表不一致：签到表合计 312 人，报告填写 360 人，请核对后重新提交。"
)
# (year, half, {indicator code: (target, actual)}, returned?)
REPORTS = [
    # approved: figures that leave the demo's four-cabin totals as the reports say
    (2024, 2, {"trainings": (4, 5), "beneficiaries": (300, 318)}, False),
    (2025, 1, {"cabins_reading": (4, 4), "beneficiaries": (320, 360)}, True),
]


def _photo():
    """A small real PNG, so the evidence passes the upload checks like a photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (46, 125, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def seed_organization_reports(stdout, indicators):
    from incubator.demo.accounts import demo_organization_user
    from incubator.demo.incubation import demo_organization
    from incubator.models import Organization

    try:
        organization = demo_organization()
        author = demo_organization_user()
    except (Organization.DoesNotExist, get_user_model().DoesNotExist):
        return
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    county = Region.objects.filter(code=COUNTY).first()
    if coordinator is None or county is None:
        return
    pairing, _created = Pairing.objects.get_or_create(
        organization=organization,
        county=county,
        village=None,
        defaults={
            "start_date": datetime.date(2024, 3, 1),
            "agreement_number": f"XZ-{COUNTY}-{organization.pk:03d}",
        },
    )
    pairing.coordinators.add(coordinator)
    project, _created = Project.objects.get_or_create(
        pairing=pairing,
        title=TITLE,
        defaults={
            "category": ProjectCategory.CABIN_READING,
            "start_date": datetime.date(2024, 7, 1),
            "end_date": datetime.date(2026, 6, 30),
            "budget": Decimal("260000"),
            "status": ProjectStatus.IN_PROGRESS,
            "reporting_frequency": PeriodType.HALF_YEAR,
        },
    )
    if not project.funding_links.exists():
        FundingLink.objects.create(
            project=project,
            kind=FundingKind.SELF_RAISED,
            fund_name=f"{organization.name}自筹",
            amount=Decimal("260000"),
        )
    for year, half, figures, returned in REPORTS:
        exists = OutcomeReport.objects.filter(
            project=project, period_type=PeriodType.HALF_YEAR, year=year, number=half
        ).exists()
        if exists:
            continue
        report = report_draft_create(
            project=project,
            user=author,
            organization=organization,
            year=year,
            number=half,
            note="机构在线填报",
        )
        for code in figures:
            report_lines_save(
                report,
                user=author,
                note=report.note,
                lines={},
                add_indicator=indicators[code],
            )
        lines = {
            indicators[code]: {"target": Decimal(t), "actual": Decimal(a)}
            for code, (t, a) in figures.items()
        }
        report_lines_save(report, user=author, note=report.note, lines=lines)
        for code in figures:
            indicator = indicators[code]
            if indicator.requires_evidence:
                report_evidence_add(
                    report,
                    user=author,
                    title=f"{indicator.evidence_note or indicator.name}（{year}年）",
                    kind=indicator.evidence_kind,
                    file=ContentFile(_photo(), name=f"org-{year}-{half}-{code}.png"),
                    indicator=indicator,
                )
        report_submit(report, user=author)
        if returned:
            report_return(report, user=coordinator, reason=RETURN_REASON)
        else:
            report_approve(report, user=coordinator)
    stdout.write(f"projects: {organization.name} files its own outcome reports")
