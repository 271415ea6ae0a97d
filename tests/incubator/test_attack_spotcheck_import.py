"""Attacks on the spot-check results import: a file without the 存在问题 /
整改要求 / 整改期限 columns must not wipe what was recorded for them."""

import datetime
import io

from core.imports import get_importer, import_plan_write, import_validate
from incubator.services.spotchecks import (
    spotcheck_campaign_draw,
    spotcheck_result_record,
)
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401
from tests.support.spreadsheets import xlsx_bytes


def test_absent_columns_keep_the_recorded_problems(province_scope):  # noqa: F811
    campaign, _orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user)
    check = campaign.checks.order_by("position").first()
    spotcheck_result_record(
        check=check,
        user=user,
        result="rectify",
        checked_on=datetime.date(2025, 11, 20),
        problems="未按规定使用票据",
        rectification="规范票据使用",
        rectify_by=datetime.date(2026, 1, 20),
    )
    headers = ["抽查活动", "统一社会信用代码", "检查结果", "检查日期"]
    rows = [[campaign.name, check.organization.uscc, "不合格", "2025-11-21"]]
    importer = get_importer("spotcheck_results", user)
    result = import_validate(importer, io.BytesIO(xlsx_bytes(rows, headers)), "r.xlsx")
    assert result.errors == []
    import_plan_write(importer, importer.plan(result), user)
    check.refresh_from_db()
    assert check.result == "failed"
    assert (check.problems, check.rectification) == ("未按规定使用票据", "规范票据使用")
    assert check.rectify_by == datetime.date(2026, 1, 20)
