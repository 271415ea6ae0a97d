"""A call's ranking is a record: once decided, the call desk's ranking and the
ranking export show every application with its final rank, score and decision,
whatever its later status (an award in public notice, awarded, in progress …)."""

import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus, ShortfallRule
from funding.models import Review
from funding.services.awards import award_sign
from funding.services.funding_line import funding_line_apply, funding_line_draw
from funding.services.notices import notice_close, notice_publish
from funding.services.tranches import award_schedule_set

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def decided_call(make_call, make_application, make_reviewer, manager):
    """The issue's call: the 96.00 project funded (100,000 of a 100,000 budget),
    the 60.00 one below the line and rejected; then the funded one goes through
    its public notice to awarded and, agreement signed, in progress."""
    call = make_call(total_budget=D("100000"), max_per_award=D("100000"))
    experts = [make_reviewer() for _ in range(3)]
    plan = {"乡村儿童阅读": [95, 96, 97], "社区养老": [60, 60, 60]}  # 96.00, 60.00
    apps = {}
    for title, totals in plan.items():
        app = make_application(
            call=call, title=title, requested_amount=D("100000"), status=S.REVIEWED
        )
        for expert, total in zip(experts, totals, strict=True):
            Review.objects.create(
                application=app,
                reviewer=expert,
                status=ReviewStatus.SUBMITTED,
                total=D(total),
            )
        apps[title] = app
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="按排名资助", user=manager
    )
    funding_line_apply(line, user=manager)
    notice = notice_publish(
        call,
        title="立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="省民政厅 0731-00000000",
        user=manager,
    )
    notice_close(notice, user=manager, on=datetime.date(2023, 6, 12))
    award = apps["乡村儿童阅读"].award
    award_schedule_set(award, [(D("100"), "signing", "")], user=manager)
    award_sign(award, signed_on=datetime.date(2023, 6, 20), user=manager)
    for app in apps.values():
        app.refresh_from_db()
    assert apps["乡村儿童阅读"].status == S.IN_PROGRESS
    assert apps["社区养老"].status == S.REJECTED
    return call


def test_desk_ranking_keeps_the_funded_project_after_its_award_moves_on(
    decided_call, client_for
):
    client = client_for(roles.FUND_MANAGER)
    page = client.get(reverse("funding_call_desk", args=[decided_call.pk]))
    table = BeautifulSoup(page.content, "html.parser").find(
        attrs={"data-testid": "ranking"}
    )
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all("td")]
        for tr in table.tbody.find_all("tr")
    ]
    # rank, title, ranking score, decision, current status
    assert [(r[0], r[1], r[7], r[9], r[10]) for r in rows] == [
        ("1", "乡村儿童阅读", "96.00", "已批准", "实施中"),
        ("2", "社区养老", "60.00", "未获批准", "未获批准"),
    ]


def test_ranking_export_has_every_application_with_its_decision(
    decided_call, client_for
):
    client = client_for(roles.FUND_MANAGER)
    response = client.get(reverse("funding_ranking_export", args=[decided_call.pk]))
    sheet = load_workbook(io.BytesIO(response.content))
    rows = list(sheet.active.iter_rows(values_only=True))
    header = rows[0]
    pick = [header.index(h) for h in ("排名", "项目名称", "排名得分", "决定", "状态")]
    assert [tuple(row[i] for i in pick) for row in rows[1:]] == [
        (1, "乡村儿童阅读", 96.0, "已批准", "实施中"),
        (2, "社区养老", 60.0, "未获批准", "未获批准"),
    ]
