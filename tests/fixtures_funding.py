"""Fixtures for the funding tests (imported by tests/conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core import roles
from funding.choices import ApplicationStatus
from funding.models import Application, BudgetLine, Call, Criterion, Fund
from incubator.choices import OrganizationType, RegistrationLevel

TODAY = datetime.date(2023, 5, 10)


@pytest.fixture
def fund(db):
    return Fund.objects.create(
        name="湖南省福彩公益金",
        source="lottery_province",
        year=2023,
        budget=Decimal("7500000"),
    )


@pytest.fixture
def make_call(fund):
    def make(**fields):
        criteria = fields.pop(
            "criteria",
            [("项目必要性", 30, 30), ("实施方案", 40, 40), ("组织能力", 30, 30)],
        )
        defaults = {
            "fund": fund,
            "name": "2023年度福彩公益金资助项目",
            "opens_on": timezone.localdate() - datetime.timedelta(days=10),
            "closes_on": timezone.localdate() + datetime.timedelta(days=10),
            "total_budget": Decimal("7500000"),
            "max_per_award": Decimal("150000"),
            "eligible_levels": [
                RegistrationLevel.PROVINCE,
                RegistrationLevel.CITY,
                RegistrationLevel.COUNTY,
            ],
            "eligible_types": [t.value for t in OrganizationType],
            "reviewers_per_application": 3,
        }
        defaults.update(fields)
        call = Call.objects.create(**defaults)
        for order, (name, weight, max_score) in enumerate(criteria):
            Criterion.objects.create(
                call=call,
                name=name,
                weight=weight,
                max_score=max_score,
                description=f"{name}的评分说明",
                sort_order=order,
            )
        return call

    return make


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def make_application(make_organization, call):
    def make(status=ApplicationStatus.DRAFT, lines=None, **fields):
        organization = fields.pop("organization", None) or make_organization()
        requested = fields.pop("requested_amount", Decimal("100000"))
        app = Application.objects.create(
            call=fields.pop("call", call),
            organization=organization,
            title=fields.pop("title", "留守儿童关爱服务项目"),
            requested_amount=requested,
            summary="为留守儿童提供课后陪伴与心理支持。",
            **fields,
        )
        for item, amount in lines or [("人员费用", requested)]:
            BudgetLine.objects.create(application=app, item=item, amount=amount)
        if status != ApplicationStatus.DRAFT:
            Application.objects.filter(pk=app.pk).update(
                status=status, submitted_at=timezone.now()
            )
            app.refresh_from_db()
        return app

    return make


@pytest.fixture
def make_reviewer(make_user):
    serial = iter(range(1, 1000))

    def make(username=None, **extra):
        return make_user(username or f"expert{next(serial)}", roles.REVIEWER, **extra)

    return make


def score_form(call, values):
    """{criterion_pk: {"score": v}} for the call's criteria, in order."""
    return {
        c.pk: {"score": str(v), "comment": "意见"}
        for c, v in zip(call.criteria.all(), values, strict=True)
    }
