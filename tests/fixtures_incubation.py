"""Fixtures for the incubation tests (imported by tests/conftest.py)."""

import pytest

from core import roles
from incubator.models import IncubationBase
from incubator.models.bases import (
    DEFAULT_CRITERIA,
    DEFAULT_MILESTONES,
    AssessmentCriterion,
    BaseLevel,
    MilestoneTemplate,
)


@pytest.fixture
def make_base(db, region):
    """An incubation base with the default rubric (weights 20/20/20/15/10/15) and
    milestone templates."""
    serial = iter(range(1, 1000))

    def make(name=None, capacity=10, operators=(), criteria=True, **fields):
        base = IncubationBase.objects.create(
            name=name or f"测试孵化基地{next(serial)}",
            level=fields.pop("level", BaseLevel.COUNTY),
            region=fields.pop("region", region),
            capacity=capacity,
            **fields,
        )
        base.operators.set(operators)
        if criteria:
            for order, (kind, weight) in enumerate(DEFAULT_CRITERIA):
                AssessmentCriterion.objects.create(
                    base=base, kind=kind, weight=weight, sort_order=order
                )
            for order, (title, days) in enumerate(DEFAULT_MILESTONES):
                MilestoneTemplate.objects.create(
                    base=base, title=title, due_after_days=days, sort_order=order
                )
        return base

    return make


@pytest.fixture
def two_bases(make_base, make_user, client_for):
    """Two bases, each run by its own operator; returns a namespace with the bases,
    the operators' logged-in clients and their users."""

    class Setup:
        pass

    setup = Setup()
    setup.client_a = client_for(roles.OPERATOR, username="operator_a")
    setup.client_b = client_for(roles.OPERATOR, username="operator_b")
    setup.operator_a = setup.client_a.user
    setup.operator_b = setup.client_b.user
    setup.base_a = make_base(
        "长沙市雨花区社会组织孵化基地", operators=[setup.operator_a]
    )
    setup.base_b = make_base("岳麓区社会组织孵化基地", operators=[setup.operator_b])
    return setup
