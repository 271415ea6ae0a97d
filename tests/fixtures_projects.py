"""Fixtures for the projects tests (imported by tests/conftest.py)."""

import datetime
from decimal import Decimal

import pytest

from core.models import Region
from incubator.choices import RegistrationLevel
from projects.choices import FundingKind, PeriodType, ProjectCategory, ReportStatus
from projects.models import FundingLink, OutcomeLine, OutcomeReport, Pairing, Project


@pytest.fixture
def indicators(db):
    from projects.demo import indicators_ensure

    return indicators_ensure()


@pytest.fixture
def hunan_county(db):
    return Region.objects.get(code="433127")  # 湖南省湘西州永顺县 (key county)


@pytest.fixture
def shaanxi_county(db):
    return Region.objects.get(code="610924")  # 陕西省安康市紫阳县 (key county)


@pytest.fixture
def make_pairing(make_organization, hunan_county):
    def make(organization=None, county=None, coordinators=(), **fields):
        organization = organization or make_organization(
            region=Region.objects.get(code="430100"),
            registration_level=RegistrationLevel.PROVINCE,
        )
        pairing = Pairing.objects.create(
            organization=organization,
            county=county or hunan_county,
            start_date=fields.pop("start_date", datetime.date(2023, 1, 1)),
            **fields,
        )
        pairing.coordinators.set(coordinators)
        return pairing

    return make


@pytest.fixture
def make_project(make_pairing):
    def make(pairing=None, funds=(), **fields):
        pairing = pairing or make_pairing()
        defaults = {
            "title": f"项目{Project.objects.count() + 1}",
            "category": ProjectCategory.CONSUMPTION,
            "start_date": datetime.date(2023, 1, 1),
            "budget": Decimal("100000"),
            "reporting_frequency": PeriodType.HALF_YEAR,
        }
        defaults.update(fields)
        project = Project.objects.create(pairing=pairing, **defaults)
        for fund_name, amount in funds:
            FundingLink.objects.create(
                project=project,
                kind=FundingKind.SELF_RAISED,
                fund_name=fund_name,
                amount=Decimal(amount),
            )
        return project

    return make


@pytest.fixture
def make_report(indicators):
    """A report with lines {code: actual or (numerator, denominator)}, stored with
    the given status directly (workflow tests go through the services)."""

    def make(
        project,
        year,
        number,
        lines,
        status=ReportStatus.APPROVED,
        author=None,
        targets=None,
    ):
        report = OutcomeReport.objects.create(
            project=project,
            period_type=project.reporting_frequency,
            year=year,
            number=number,
            status=status,
            created_by=author,
        )
        for code, value in lines.items():
            line = OutcomeLine(report=report, indicator=indicators[code])
            if isinstance(value, tuple):
                line.numerator, line.denominator = (Decimal(v) for v in value)
            elif value is not None:
                line.actual = Decimal(value)
            if targets and code in targets:
                line.target = Decimal(targets[code])
            line.save()
        return report

    return make


@pytest.fixture
def private_files(settings, tmp_path):
    """Evidence and agreements go to a temporary folder during the test."""
    from django.utils.functional import empty

    from projects.models import _private_storage as storage

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    storage._wrapped = empty
    yield
    storage._wrapped = empty
