"""Public money counts only awards made.

An award still in public notice (公示; here with an open objection) may yet be
refused: the home page, the statistics page and an organization's showcase count
only awards made (立项 and later); a terminated award counts what was paid.
Rule: funding/selectors/public_money.py."""

import datetime
from decimal import Decimal

import pytest

from cms.selectors import figures
from cms.selectors.showcase_sections import awards as showcase_awards
from core import roles
from funding.choices import ApplicationStatus
from funding.models.awards import ObjectionStatus, TrancheCondition
from funding.services.awards import award_terminate
from funding.services.disbursements import (
    disbursement_approve,
    disbursement_pay,
    disbursement_record,
)
from funding.services.notices import notice_publish, objection_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(make_award, approved_application, manager, make_user):
    """Made 300,000; terminated 500,000 after 120,000 paid; 200,000 in notice with
    an open objection."""
    made = make_award(Decimal("300000"))
    terminated = make_award(
        Decimal("500000"),
        schedule=((60, TrancheCondition.SIGNING), (40, TrancheCondition.FINAL_REPORT)),
    )
    approver = make_user("fundmanager2", roles.FUND_MANAGER)
    payer = make_user("finance1", roles.FINANCE)
    disbursement = disbursement_record(
        terminated.tranches.first(), amount=Decimal("120000"), user=manager
    )
    disbursement_approve(disbursement, user=approver, on=datetime.date(2023, 6, 30))
    disbursement_pay(
        disbursement,
        user=payer,
        voucher_number="2023-0701",
        paid_on=datetime.date(2023, 7, 1),
    )
    # a second payment recorded and approved, never paid: terminating rejects it
    pending = disbursement_record(
        terminated.tranches.first(), amount=Decimal("50000"), user=manager
    )
    disbursement_approve(pending, user=approver)
    award_terminate(terminated, user=manager, reason="机构停止运营，项目无法继续")

    noticed = approved_application(Decimal("200000"), title="社区助老食堂")
    notice_publish(
        noticed.call,
        title="2023年度福彩公益金第二批立项公示",
        starts_on=datetime.date(2023, 9, 4),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-00000000",
        user=manager,
    )
    noticed.refresh_from_db()
    objection = objection_record(
        noticed.award,
        received_on=datetime.date(2023, 9, 5),
        objector="匿名群众",
        content="申报材料中的服务人数与实际不符",
        user=manager,
    )
    assert noticed.status == ApplicationStatus.IN_PUBLIC_NOTICE
    assert objection.status == ObjectionStatus.OPEN
    figures.figures_invalidate()
    return {"made": made, "terminated": terminated, "noticed": noticed.award}


def test_headline_figure_counts_awards_made_and_what_a_terminated_one_paid(money):
    values = {r.figure.key: r.value for r in figures.headline_figures()}
    # 300,000 made + 120,000 paid before termination = 420,000 元 = 42 万元;
    # the 200,000 in public notice and the 50,000 never paid count 0.
    assert values["money_awarded"] == 42


def test_home_and_statistics_pages_show_42_wan(client, cms_site, money):
    home = client.get(cms_site["home"].url).content.decode()
    assert 'data-figure="money_awarded">42<' in home
    statistics = client.get(cms_site["statistics"].url).content.decode()
    assert 'data-figure="money_awarded">42<' in statistics
    table = statistics[statistics.index('data-table="awards_by_fund"') :]
    table = table[: table.index("</table>")]
    # statistics state money in 万元: 420,000 元 = 42.00 万元
    assert "（万元）</th>" in table
    assert '<td class="num">42.00</td>' in table
    assert ">62.00<" not in table and ">100.00<" not in table


def test_showcase_lists_only_awards_made(money):
    noticed = money["noticed"].application.organization
    assert showcase_awards(noticed) is None  # still in notice: not a funded project
    section = showcase_awards(money["terminated"].application.organization)
    assert [item["amount"] for item in section["items"]] == [Decimal("120000")]
    section = showcase_awards(money["made"].application.organization)
    assert section["total"] == Decimal("300000")
