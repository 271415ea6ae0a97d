"""Credit publication (双公示): a list decision opens or closes the credit-list
entry; the day's file has the platform's columns and carries no live formula;
publication marks the day's decisions; the command writes the same file."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from incubator.errors import IncubationError
from incubator.models import CreditDecision
from incubator.services.credit import (
    PUBLICATION_COLUMNS,
    credit_decision_record,
    credit_publication_publish,
    credit_publication_xlsx,
)

DAY = datetime.date(2025, 11, 28)


@pytest.fixture
def day_of_decisions(make_organization, make_user):
    user = make_user("registrar_a", "registrar")
    a = make_organization(name='=HYPERLINK("http://x","点我")')
    b = make_organization(name="益阳市助老服务中心")
    credit_decision_record(
        organization=a,
        decision_type="abnormal_in",
        reason="+1+1 未按规定报送年度工作报告",
        decided_on=DAY,
        authority="湖南省民政厅",
        user=user,
    )
    credit_decision_record(
        organization=b,
        decision_type="warning",
        reason="未按规定办理负责人变更登记",
        decided_on=DAY,
        authority="益阳市民政局",
        user=user,
    )
    credit_decision_record(
        organization=b,
        decision_type="warning",
        reason="另一天的决定",
        decided_on=DAY - datetime.timedelta(days=1),
        authority="益阳市民政局",
        user=user,
    )
    return a, b, user


def _sheet(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_days_file_has_the_platforms_columns(day_of_decisions):
    a, b, _user = day_of_decisions
    _ws, rows = _sheet(credit_publication_xlsx(DAY))
    assert rows[0] == [
        "名称",
        "统一社会信用代码",
        "决定类型",
        "事由",
        "决定日期",
        "决定机关",
        "备注",  # "补报" on a late decision (test_credit_late_report)
    ]
    assert rows[0] == PUBLICATION_COLUMNS
    assert len(rows) == 3  # the two decisions of the day, not the day before
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["益阳市助老服务中心"] == [
        "益阳市助老服务中心",
        b.uscc,
        "警告",
        "未按规定办理负责人变更登记",
        "2025-11-28",
        "益阳市民政局",
        None,
    ]
    assert by_name[a.name][2] == "列入活动异常名录"


def test_formula_injection_is_neutralised(day_of_decisions):
    a, _b, _user = day_of_decisions
    sheet, _rows = _sheet(credit_publication_xlsx(DAY))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    name_cell = next(r[0] for r in sheet.iter_rows(min_row=2) if r[0].value == a.name)
    reason_cell = next(r[3] for r in sheet.iter_rows(min_row=2) if r[0].value == a.name)
    assert name_cell.data_type == "s" and name_cell.quotePrefix
    assert reason_cell.data_type == "s" and reason_cell.quotePrefix


def test_a_list_decision_opens_and_closes_the_entry(day_of_decisions):
    a, _b, user = day_of_decisions
    assert a.credit_status(DAY) == "abnormal"
    with pytest.raises(IncubationError):
        credit_decision_record(
            organization=a,
            decision_type="abnormal_in",
            reason="重复",
            decided_on=DAY,
            authority="湖南省民政厅",
            user=user,
        )
    later = DAY + datetime.timedelta(days=30)
    credit_decision_record(
        organization=a,
        decision_type="abnormal_out",
        reason="已补报年度工作报告",
        decided_on=later,
        authority="湖南省民政厅",
        user=user,
    )
    assert a.credit_status(later) == "normal"
    entry = a.credit_entries.get()
    assert entry.date_out == later


def test_publish_marks_the_days_decisions_once(day_of_decisions):
    _a, _b, user = day_of_decisions
    assert credit_publication_publish(day=DAY, user=user) == 2
    assert CreditDecision.objects.filter(published_at__isnull=False).count() == 2
    with pytest.raises(IncubationError):
        credit_publication_publish(day=DAY, user=user)


def test_the_command_writes_the_days_file(day_of_decisions, tmp_path):
    target = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command(
        "credit_publication_export",
        "--date",
        "2025-11-28",
        "--output",
        str(target),
        stdout=out,
    )
    _ws, rows = _sheet(target.read_bytes())
    assert rows[0] == PUBLICATION_COLUMNS and len(rows) == 3
    assert "2" in out.getvalue()


def test_the_screen_downloads_and_publishes_after_confirmation(
    day_of_decisions, client
):
    _a, _b, user = day_of_decisions
    client.force_login(user)
    url = "/admin/supervision/credit-publication/?date=2025-11-28"
    page = client.get(url)
    assert page.status_code == 200
    assert "益阳市助老服务中心" in page.content.decode()
    download = client.get(url + "&format=xlsx")
    assert download["Content-Disposition"].startswith("attachment")
    _ws, rows = _sheet(b"".join(download.streaming_content))
    assert len(rows) == 3
    asked = client.post(url, {"date": "2025-11-28"})
    assert asked.status_code == 200  # the confirmation page, nothing written
    assert not CreditDecision.objects.filter(published_at__isnull=False).exists()
    token = asked.context["confirmation"].token
    done = client.post(url, {"date": "2025-11-28", "confirm_token": token})
    assert done.status_code == 302
    assert CreditDecision.objects.filter(published_at__isnull=False).count() == 2


def test_the_admin_form_records_a_listing_and_refuses_a_second(
    day_of_decisions, client
):
    a, b, user = day_of_decisions
    client.force_login(user)
    url = "/admin/snippets/incubator/creditdecision/add/"
    data = {
        "organization": b.pk,
        "decision_type": "dishonest_in",
        "decided_on": "2025-11-28",
        "reason": "弄虚作假骗取登记",
        "authority": "湖南省民政厅",
    }
    done = client.post(url, data)
    assert done.status_code == 302
    assert b.credit_status(DAY) == "dishonest"
    again = client.post(url, data)
    assert again.status_code == 200
    assert "该社会组织已在此名单中" in again.content.decode()
    assert b.credit_entries.count() == 1
