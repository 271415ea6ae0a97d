"""A project imported with its reporting period (`报告周期`: 季度/半年/年度), so that a
province's yearly outcome figures can be imported under it; half-yearly when the
file does not say."""

import pytest
from django.core.management import CommandError, call_command

from projects.choices import PeriodType
from projects.models import OutcomeReport, Project
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["项目名称", "统一社会信用代码", "帮扶地区代码", "类别", "报告周期"]


@pytest.fixture
def uscc(make_pairing, make_organization):
    pairing = make_pairing(
        organization=make_organization(name="长沙市阳光社工服务中心")
    )
    return pairing.organization.uscc


def _write(tmp_path, name, rows, headers):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, headers=headers))
    return str(path)


def test_yearly_projects_take_yearly_figures(tmp_path, uscc, indicators):
    rows = [
        ["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "年度"],
        ["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", ""],
    ]
    call_command("import_projects", _write(tmp_path, "p.xlsx", rows, HEADERS))

    frequency = dict(Project.objects.values_list("title", "reporting_frequency"))
    assert frequency == {
        "永顺莓茶消费帮扶": PeriodType.YEAR,
        "芙蓉镇宝贝小屋": PeriodType.HALF_YEAR,  # empty cell: the default
    }
    outcomes = _write(
        tmp_path,
        "o.xlsx",
        [["永顺莓茶消费帮扶", 2023, "年度", 1, "带动就业岗位", 12]],
        ["项目名称", "年度", "周期类型", "期次", "指标", "实际值"],
    )
    call_command("import_outcomes", outcomes)
    report = OutcomeReport.objects.get()
    assert (report.period_type, report.lines.get().actual) == (PeriodType.YEAR, 12)


def test_an_unknown_reporting_period_is_refused(tmp_path, uscc, capsys):
    rows = [["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "每两年"]]
    with pytest.raises(CommandError):
        call_command("import_projects", _write(tmp_path, "p.xlsx", rows, HEADERS))
    error = capsys.readouterr().err
    assert "第 2 行，“报告周期”列：" in error
    assert "季度" in error and "半年" in error and "年度" in error
    assert not Project.objects.exists()


def test_without_the_column_projects_report_half_yearly(tmp_path, uscc):
    rows = [["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶"]]
    call_command("import_projects", _write(tmp_path, "p.xlsx", rows, HEADERS[:4]))
    assert Project.objects.get().reporting_frequency == PeriodType.HALF_YEAR
