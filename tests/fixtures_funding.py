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


# --- awards and purchases (issue 6) ---------------------------------------------

NOTICE_START = datetime.date(2023, 6, 5)  # a Monday; 5 working days end on Friday 9th


@pytest.fixture
def manager(make_user):
    return make_user("fundmanager", roles.FUND_MANAGER)


@pytest.fixture
def finance(make_user):
    return make_user("finance1", roles.FINANCE)


@pytest.fixture
def approved_application(make_application):
    def make(amount=Decimal("100000"), **fields):
        app = make_application(status=ApplicationStatus.APPROVED, **fields)
        Application.objects.filter(pk=app.pk).update(approved_amount=amount)
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def make_award(approved_application, manager):
    """An award through the services: notice published and closed; optionally
    a schedule and a signed agreement."""
    from funding.models.awards import TrancheCondition
    from funding.services.awards import award_sign
    from funding.services.notices import notice_close, notice_publish
    from funding.services.tranches import award_schedule_set

    def make(
        amount=Decimal("100000"),
        schedule=((60, TrancheCondition.SIGNING), (40, TrancheCondition.FINAL_REPORT)),
        sign=True,
    ):
        app = approved_application(amount)
        notice = notice_publish(
            app.call,
            title="2023年度福彩公益金资助项目立项公示",
            starts_on=NOTICE_START,
            working_days=5,
            objection_contact="省民政厅社会组织管理局 0731-00000000",
            user=manager,
        )
        notice_close(notice, user=manager, on=datetime.date(2023, 6, 12))
        award = app.award
        if schedule:
            award_schedule_set(
                award, [(Decimal(p), c, "") for p, c in schedule], user=manager
            )
        if sign:
            award_sign(award, signed_on=datetime.date(2023, 6, 20), user=manager)
        award.refresh_from_db()
        return award

    return make


@pytest.fixture
def make_purchase(make_organization):
    from funding.models.purchases import PaymentInstalment, ServicePurchase

    def make(
        amount=Decimal("500000"),
        schedule=((Decimal("300000"), False), (Decimal("200000"), True)),
        **fields,
    ):
        defaults = {
            "title": "姑苏区社区居家养老服务项目",
            "purchasing_department": "苏州市民政局",
            "service_category": "basic_public",
            "procurement_method": "consultation",
            "contract_number": "SZMZ-2023-001",
            "contract_amount": amount,
            "signed_on": datetime.date(2023, 3, 1),
            "starts_on": datetime.date(2023, 3, 1),
            "ends_on": datetime.date(2023, 12, 31),
            "supplier_kind": "social_org",
        }
        defaults.update(fields)
        if defaults["supplier_kind"] == "social_org" and "supplier" not in fields:
            defaults["supplier"] = make_organization()
        purchase = ServicePurchase.objects.create(**defaults)
        for order, (part, final) in enumerate(schedule):
            PaymentInstalment.objects.create(
                purchase=purchase,
                sort_order=order,
                label="尾款" if final else f"第{order + 1}期",
                amount=part,
                is_final=final,
            )
        return purchase

    return make
