"""A project's budget may come in 万元 (`预算（万元）`), converted to yuan exactly."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from projects.models import Project
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db


def test_project_budget_in_wan(tmp_path, make_pairing, make_organization):
    pairing = make_pairing(
        organization=make_organization(name="长沙市阳光社工服务中心")
    )
    path = tmp_path / "项目.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [["永顺莓茶消费帮扶", pairing.organization.uscc, "433127", "消费帮扶",
              "125.00005"]],
            headers=["项目名称", "统一社会信用代码", "帮扶地区代码", "类别",
                     "预算（万元）"],
        )
    )  # fmt: skip

    call_command("import_projects", str(path))

    # 125.00005 万元 = 1,250,000.50 元
    assert Project.objects.get().budget == Decimal("1250000.50")
