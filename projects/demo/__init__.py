"""Demo rural-revitalization data shaped like the source reports: Hunan's provincial
organizations paired with its 15 key counties (four-cabin and consumption-assistance
projects), a Shaanxi alliance (合力团) for 紫阳县, and a Jiangsu–Shaanxi cross-province
pairing. Two years of approved half-year reports, one pending. Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from core.models import Region
from incubator.models import Organization
from projects.choices import (
    FundingKind,
    PeriodType,
    ProjectCategory,
    ProjectStatus,
)
from projects.demo.organization import seed_organization_reports
from projects.models import (
    Alliance,
    FundingLink,
    OutcomeEvidence,
    OutcomeLine,
    OutcomeReport,
    Pairing,
    Project,
    Village,
)
from projects.services.indicators import indicators_ensure
from projects.services.reports import report_approve, report_submit
from projects.services.rollup_totals import rollup_totals_rebuild

HUNAN_KEY_COUNTIES = {
    "湖南省慈善总会": ["430523", "430524", "430529", "430626"],
    "湖南省青少年发展基金会": ["430923", "431026", "430822", "431230"],
    "湖南省乡村振兴促进会": ["431322", "433122", "433123", "433124"],
    "湖南省社会组织促进会": ["433125", "433126", "433127"],
}

# organization, county code, title, category, budget, self-raised by, figures per
# half-year: {indicator: [H1 2023, H2 2023, H1 2024, H2 2024]}
PROJECTS = [
    (
        "湖南省青少年发展基金会",
        "430923",
        "安化黑茶消费帮扶行动",
        ProjectCategory.CONSUMPTION,
        "1200000",
        {
            "produce_sold": [1850000, 2260000, 2410000, 3080000],
            "money_invested": [300000, 260000, 320000, 280000],
            "beneficiaries": [620, 980, 1340, 1705],
            "jobs": [12, 8, 15, 10],
        },
    ),
    (
        "湖南省社会组织促进会",
        "433127",
        "永顺县直播小屋助农项目",
        ProjectCategory.CABIN_LIVESTREAM,
        "450000",
        {
            "cabins_livestream": [6, 9, 11, 7],
            "produce_sold": [420000, 760000, 980000, 1260000],
            "trainings": [4, 6, 5, 6],
            "beneficiaries": [210, 460, 690, 880],
        },
    ),
    (
        "湖南省乡村振兴促进会",
        "433123",
        "凤凰县宝贝小屋关爱留守儿童",
        ProjectCategory.CABIN_BABY,
        "380000",
        {
            "cabins_baby": [8, 12, 10, 9],
            "beneficiaries": [560, 1130, 1640, 2050],
            "money_invested": [90000, 110000, 85000, 95000],
        },
    ),
    (
        "湖南省乡村振兴促进会",
        "431322",
        "新化县阅读小屋",
        ProjectCategory.CABIN_READING,
        "260000",
        {
            "cabins_reading": [10, 14, 12, 11],
            "beneficiaries": [740, 1510, 2130, 2800],
        },
    ),
    (
        "湖南省慈善总会",
        "430626",
        "平江县医生小屋",
        ProjectCategory.CABIN_DOCTOR,
        "520000",
        {
            "cabins_doctor": [5, 7, 6, 8],
            "beneficiaries": [1200, 2600, 3900, 5100],
            "poor_household_coverage": [(310, 520), (360, 520), (410, 540), (450, 540)],
        },
    ),
]

ALLIANCE = {
    "name": "紫阳县社会组织帮扶合力团",
    "county": "610924",
    "lead": "陕西省慈善协会",
    "members": ["陕西省慈善协会", "陕西省扶贫开发基金会", "安康市紫阳富硒茶产业协会"],
    "projects": [
        (
            "陕西省扶贫开发基金会",
            "紫阳富硒茶产销帮扶",
            ProjectCategory.CONSUMPTION,
            "800000",
            {
                "produce_sold": [960000, 1340000, 1520000, 1880000],
                "beneficiaries": [1500, 2600, 3700, 4600],
                "jobs": [20, 14, 22, 18],
            },
        ),
        (
            "陕西省慈善协会",
            "紫阳县乡村医生培训",
            ProjectCategory.MEDICAL,
            "300000",
            {
                "trainings": [6, 8, 7, 9],
                "poor_household_coverage": [
                    (820, 1600),
                    (1010, 1600),
                    (1190, 1650),
                    (1320, 1650),
                ],
            },
        ),
    ],
}

CROSS_PROVINCE = (
    "苏州市慈善基金会",
    "611024",
    "苏陕协作·山阳县劳务就业帮扶",
    ProjectCategory.EMPLOYMENT,
    "712700",
    {
        "jobs": [45, 60, 52, 70],
        "trainings": [3, 4, 4, 5],
        "beneficiaries": [180, 390, 560, 760],
        "money_invested": [150000, 180000, 190000, 192700],
    },
)

PERIODS = [(2023, 1), (2023, 2), (2024, 1), (2024, 2)]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _pairing(org, county, start, coordinator, alliance=None, village=None):
    pairing, _created = Pairing.objects.get_or_create(
        organization=org,
        county=county,
        village=village,
        defaults={
            "start_date": start,
            "alliance": alliance,
            "agreement_number": f"XZ-{county.code}-{org.pk:03d}",
        },
    )
    if coordinator is not None:
        pairing.coordinators.add(coordinator)
    return pairing


def _project(pairing, title, category, budget):
    project, _created = Project.objects.get_or_create(
        pairing=pairing,
        title=title,
        defaults={
            "category": category,
            "start_date": datetime.date(2023, 1, 1),
            "end_date": datetime.date(2025, 12, 31),
            "budget": Decimal(budget),
            "status": ProjectStatus.IN_PROGRESS,
            "reporting_frequency": PeriodType.HALF_YEAR,
        },
    )
    if not project.funding_links.exists():
        FundingLink.objects.create(
            project=project,
            kind=FundingKind.SELF_RAISED,
            fund_name=f"{pairing.organization.name}自筹",
            amount=Decimal(budget),
        )
    return project


def _report(project, year, number, figures, index, indicators, author, approver):
    report, created = OutcomeReport.objects.get_or_create(
        project=project,
        period_type=PeriodType.HALF_YEAR,
        year=year,
        number=number,
        defaults={"created_by": author},
    )
    if not created:
        return report
    for code, values in figures.items():
        value = values[index]
        line = OutcomeLine(report=report, indicator=indicators[code])
        if isinstance(value, tuple):
            line.numerator, line.denominator = (Decimal(v) for v in value)
        else:
            line.actual = Decimal(value)
            line.target = (Decimal(value) * Decimal("0.9")).quantize(Decimal("1"))
        line.save()
        indicator = indicators[code]
        if indicator.requires_evidence:
            OutcomeEvidence.objects.create(
                report=report,
                indicator=indicator,
                title=f"{indicator.evidence_note or indicator.name}（{report.period_label}）",
                kind=indicator.evidence_kind,
                file=ContentFile(
                    f"{project.title} {report.period_label} {indicator.name}".encode(),
                    name=f"evidence-{project.pk}-{year}-{number}-{code}.txt",
                ),
            )
    if author is not None:
        report_submit(report, user=author)
        if approver is not None and index < len(PERIODS):
            report_approve(report, user=approver)
    return report


def _reports(project, figures, indicators, author, approver):
    for index, (year, number) in enumerate(PERIODS):
        _report(project, year, number, figures, index, indicators, author, approver)


def seed(stdout):
    indicators = indicators_ensure()
    coordinator = _user("coordinator")
    approver = _user("admin")
    orgs = {o.name: o for o in Organization.objects.order_by("-pk")}  # first wins
    counties = {r.code: r for r in Region.objects.filter(level=Region.Level.COUNTY)}
    start = datetime.date(2022, 3, 1)

    pairings = {}
    for name, codes in HUNAN_KEY_COUNTIES.items():
        if name not in orgs:
            continue
        for code in codes:
            pairings[(name, code)] = _pairing(
                orgs[name], counties[code], start, coordinator
            )

    Village.objects.get_or_create(
        county=counties["433124"], town="双龙镇", name="十八洞村"
    )
    Village.objects.get_or_create(
        county=counties["433127"], town="芙蓉镇", name="双凤村"
    )

    for org_name, code, title, category, budget, figures in PROJECTS:
        pairing = pairings.get((org_name, code))
        if pairing is None:
            continue
        project = _project(pairing, title, category, budget)
        _reports(project, figures, indicators, coordinator, approver)

    # One pending report: submitted, waiting for approval.
    first = Project.objects.filter(title=PROJECTS[0][2]).first()
    if first is not None:
        _report(
            first,
            2025,
            1,
            {"produce_sold": [1960000]},
            0,
            indicators,
            coordinator,
            None,
        )

    county = counties[ALLIANCE["county"]]
    lead = orgs.get(ALLIANCE["lead"])
    alliance, _created = Alliance.objects.get_or_create(
        name=ALLIANCE["name"],
        defaults={
            "county": county,
            "lead_organization": lead,
            "formed_on": datetime.date(2021, 4, 1),
            "note": "多个社会组织帮扶一个贫困县",
        },
    )
    members = {}
    for name in ALLIANCE["members"]:
        if name in orgs:
            members[name] = _pairing(
                orgs[name], county, datetime.date(2021, 4, 1), coordinator, alliance
            )
    for org_name, title, category, budget, figures in ALLIANCE["projects"]:
        if org_name in members:
            project = _project(members[org_name], title, category, budget)
            _reports(project, figures, indicators, coordinator, approver)

    org_name, code, title, category, budget, figures = CROSS_PROVINCE
    if org_name in orgs:
        pairing = _pairing(
            orgs[org_name], counties[code], datetime.date(2021, 9, 1), coordinator
        )
        project = _project(pairing, title, category, budget)
        _reports(project, figures, indicators, coordinator, approver)

    seed_organization_reports(stdout, indicators)
    # The demo writes some lines directly: the stored totals are worked out again.
    rollup_totals_rebuild()

    stdout.write(
        f"projects: {Pairing.objects.count()} pairings, {Project.objects.count()} "
        f"projects, {OutcomeReport.objects.count()} outcome reports"
    )
