"""A group total adds up like with like: cabins (间) with cabins, never a ratio, never
an indicator of another unit (`indicator_check_group_total`)."""

import pytest

from projects.choices import Aggregation
from projects.errors import ProjectsError
from projects.models import Indicator
from projects.selectors.rollups import group_totals

pytestmark = pytest.mark.django_db


def test_the_four_cabin_types_have_one_total(indicators):
    (cabins,) = group_totals(Indicator.objects.filter(is_active=True))
    assert str(cabins) == "四个小屋合计（间）"
    assert cabins.codes == (
        "cabins_baby",
        "cabins_reading",
        "cabins_livestream",
        "cabins_doctor",
    )
    # 3 + 4 + nothing + 1 = 8; no figure at all is no total (shown as —)
    assert (
        cabins.value({"cabins_baby": 3, "cabins_reading": 4, "cabins_doctor": 1}) == 8
    )
    assert cabins.value({"jobs": 5}) is None


def test_an_indicator_in_another_unit_is_refused(indicators):
    with pytest.raises(ProjectsError) as refused:
        Indicator.objects.create(
            code="cabin_area",
            name="小屋面积",
            unit="平方米",
            aggregation=Aggregation.SUM,
            group="四个小屋",
            in_group_total=True,
        )
    assert "四个小屋的分组合计相加的是以间计的指标，本指标以平方米计。" in str(
        refused.value
    )
    assert not Indicator.objects.filter(code="cabin_area").exists()


def test_a_ratio_or_an_indicator_in_no_group_is_refused(indicators):
    ratio = indicators["poor_household_coverage"]
    ratio.group, ratio.in_group_total = "四个小屋", True
    with pytest.raises(ProjectsError, match="比率类指标不能计入分组合计"):
        ratio.save()
    jobs = indicators["jobs"]
    jobs.in_group_total = True
    with pytest.raises(ProjectsError, match="只有属于某个分组的指标才能计入分组合计"):
        jobs.save()
