"""Update by key, villages and the inbox attacked with each role's account and
edited exports: what must not change is refused in the preview, a stale preview is
not written over another user's edit, one record spelled two ways is one key.

The holes found, each as the user meets it:

- a confirmation replayed after its preview was shown again (the records changed
  in between) confirmed the new preview, which nobody had seen: the other user's
  edit was overwritten;
- another user's edit of a record past the first 500 the preview lists (its
  changes table) did not count as a change since the preview: the confirmation
  wrote over it;
- a county or village code written in full-width digits (４３３１２７, as a code
  copied from a Word document is) was "not the code of a county", though amounts
  so written were read;
- a terminated past award took a new amount and a new paid amount from an import
  (what was paid by its termination no longer what it says);
- `import_pairings --user` naming a reviewer imported the pairings and made the
  reviewer their coordinator.
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import ImportJob
from funding.models import Award, Disbursement
from funding.models.awards import DisbursementStatus
from funding.services.past_awards import past_award_update
from projects.models import Pairing, Village
from tests.funding.test_award_update import (  # noqa: F401 (fixtures)
    CITY_FUND,
    exported,
    officer,
    recorded,
    set_cell,
    upload_workbook,
)
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

AWARDS = reverse("funding_award_import")
PAIRINGS = reverse("projects_pairing_import")
PAIRING_HEADERS = ["统一社会信用代码", "结对地区代码", "合力团", "开始日期"]


def login(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def confirm_form(client, url):
    """The fields the job page's confirmation form posts, as the page has them."""
    page = client.get(url).content.decode()
    form = re.search(r'<form method="post"[^>]*data-confirm=.*?</form>', page, re.S)
    assert form, "the page offers no confirmation"
    return dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0])
    )


def errors_of(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


# --- a stale preview ----------------------------------------------------------------


def test_a_replayed_confirmation_does_not_write_a_preview_nobody_saw(
    officer,  # noqa: F811
    recorded,  # noqa: F811
    make_user,
):
    award = recorded["社区养老服务"]  # 80,000 yuan
    workbook = exported(officer)
    set_cell(workbook, "社区养老服务", "资助金额（元）", 90000)
    job, url = upload_workbook(officer, workbook)
    seen = confirm_form(officer, url)  # the page shows 80,000 → 90,000
    # Meanwhile another officer records 85,000 on the award.
    colleague = make_user("colleague", roles.FUND_MANAGER)
    past_award_update(award, changes={"amount": Decimal("85000")}, user=colleague)

    officer.post(url, seen)  # the click: the preview is shown again (85,000 → 90,000)
    job.refresh_from_db()
    assert (job.status, job.preview_outdated) == (ImportJob.Status.AWAITING, True)
    officer.post(url, seen)  # the same POST again (a double click, a resubmission)

    job.refresh_from_db()
    award.refresh_from_db()
    assert job.status == ImportJob.Status.AWAITING
    assert award.approved_amount == Decimal("85000.00")
    assert award.history.latest().history_user == colleague

    # Confirmed from the page that shows 85,000 → 90,000, it is written.
    officer.post(url, confirm_form(officer, url))
    award.refresh_from_db()
    assert award.approved_amount == Decimal("90000.00")


def test_a_change_beyond_the_listed_ones_also_shows_the_preview_again(
    officer,  # noqa: F811
    recorded,  # noqa: F811
    make_user,
    settings,
):
    """The preview lists the first IMPORT_MAX_STORED_ERRORS changed records (500);
    another user's edit of a record past them is as much a change."""
    settings.IMPORT_MAX_STORED_ERRORS = 1
    workbook = exported(officer)
    set_cell(workbook, "留守儿童关爱", "资助金额（元）", 110000)
    set_cell(workbook, "社区养老服务", "资助金额（元）", 90000)
    job, url = upload_workbook(officer, workbook)
    assert (job.preview["changed"], len(job.preview["changes"])) == (2, 1)
    listed = job.preview["changes"][0]["record"]
    hidden = "社区养老服务" if "留守儿童关爱" in listed else "留守儿童关爱"
    colleague = make_user("colleague", roles.FUND_MANAGER)
    past_award_update(
        recorded[hidden], changes={"amount": Decimal("120000")}, user=colleague
    )

    officer.post(url, confirm_form(officer, url))

    job.refresh_from_db()
    assert (job.status, job.preview_outdated) == (ImportJob.Status.AWAITING, True)
    before = {"留守儿童关爱": Decimal("100000.00"), "社区养老服务": Decimal("80000.00")}
    amounts = {a.application.title: a.approved_amount for a in Award.objects.all()}
    assert amounts == {
        **before,
        hidden: Decimal("120000.00"),  # the colleague's, not overwritten
        "助残就业": Decimal("150000.00"),
    }


def test_a_replayed_confirmation_of_a_written_job_writes_nothing_more(
    officer,  # noqa: F811
    recorded,  # noqa: F811
):
    award = recorded["社区养老服务"]
    workbook = exported(officer)
    set_cell(workbook, "社区养老服务", "资助金额（元）", 90000)
    job, url = upload_workbook(officer, workbook)
    seen = confirm_form(officer, url)
    officer.post(url, seen)
    officer.post(url, seen)
    job.refresh_from_db()
    assert (job.status, job.updated_count) == (ImportJob.Status.SUCCEEDED, 1)
    assert award.history.count() == 2  # recorded, then changed once


# --- what an import may not change on an award ----------------------------------------


def test_a_paid_amount_is_not_changed_after_a_payment_approved_on_the_platform(
    officer,  # noqa: F811
    recorded,  # noqa: F811
    make_user,
):
    award = recorded["留守儿童关爱"]  # 100,000 awarded, 60,000 paid by import
    manager = make_user("manager", roles.FUND_MANAGER)
    Disbursement.objects.create(
        tranche=award.tranches.get(),
        amount=Decimal("20000"),
        status=DisbursementStatus.APPROVED,
        recorded_by=officer.user,
        approved_by=manager,
        approved_at=timezone.now(),
    )
    workbook = exported(officer)
    set_cell(workbook, "留守儿童关爱", "已拨付金额（元）", 70000)
    job, _url = upload_workbook(officer, workbook)

    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {
        (
            4,
            "已拨付金额（元）",
        ): "此立项的拨付已在平台上办理：请在平台上修改，不能通过导入修改。"
    }
    assert sorted(
        d.amount for d in Disbursement.objects.filter(tranche__award=award)
    ) == [
        Decimal("20000.00"),
        Decimal("60000.00"),
    ]


def test_an_award_is_not_moved_to_another_call_nor_its_date_emptied(
    officer,  # noqa: F811
    recorded,  # noqa: F811
):
    award = recorded["助残就业"]  # in the call 2023年度福彩公益金资助项目
    workbook = exported(officer)
    set_cell(workbook, "助残就业", "申报批次", "2023年度第二批")
    set_cell(workbook, "社区养老服务", "立项日期", None)
    job, _url = upload_workbook(officer, workbook)

    assert job.status == ImportJob.Status.FAILED
    errors = errors_of(job)
    assert set(errors) == {(2, "申报批次"), (3, "立项日期")}
    assert "导入不会将其移到其他批次" in errors[(2, "申报批次")]
    award.refresh_from_db()
    assert award.application.call.name == "2023年度福彩公益金资助项目"
    assert recorded["社区养老服务"].history.count() == 1


def test_a_lower_case_credit_code_names_the_same_award(
    officer,  # noqa: F811
    recorded,  # noqa: F811
):
    award = recorded["社区养老服务"]
    workbook = exported(officer)
    set_cell(workbook, "社区养老服务", "资助金额（元）", 90000)
    set_cell(
        workbook,
        "社区养老服务",
        "统一社会信用代码",
        award.application.organization.uscc.lower(),
    )
    job, url = upload_workbook(officer, workbook)
    assert (job.preview["new"], job.preview["changed"]) == (0, 1)
    officer.post(url, confirm_form(officer, url))
    assert Award.objects.count() == 3
    award.refresh_from_db()
    assert award.approved_amount == Decimal("90000.00")


def test_one_award_twice_in_a_file_in_two_letter_cases_is_refused(
    officer,  # noqa: F811
    recorded,  # noqa: F811
):
    workbook = exported(officer)
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    again = [cell.value for cell in sheet[3]]
    again[headers.index("统一社会信用代码")] = again[
        headers.index("统一社会信用代码")
    ].lower()
    again[headers.index("立项日期")] = "2022/6/15"
    sheet.append(again)
    job, _url = upload_workbook(officer, workbook)
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {
        (
            5,
            "项目名称",
        ): "同一立项（资金、年度、项目名称、统一社会信用代码）已出现在本文件第 3 行。"
    }


# --- pairings: one place, two codes ---------------------------------------------------


@pytest.fixture
def coordinator(make_user):
    return make_user("zhou", roles.COORDINATOR)


def upload_pairings(user, rows):
    response = login(user).post(
        PAIRINGS,
        {"file": upload("p.xlsx", xlsx_bytes(rows, headers=PAIRING_HEADERS))},
    )
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def test_a_county_and_its_padded_code_in_one_file_are_one_pairing(
    make_organization, coordinator
):
    uscc = make_organization(name="长沙市阳光社工服务中心").uscc
    job = upload_pairings(
        coordinator,
        [[uscc, "433127", "", "2023-01-05"], [uscc, "433127000000", "", "2023/1/5"]],
    )
    assert errors_of(job) == {(3, "统一社会信用代码"): "本文件第 2 行已有相同的结对。"}
    assert not Pairing.objects.exists()


def test_a_code_in_full_width_digits_is_the_county(make_organization, coordinator):
    uscc = make_organization(name="长沙市阳光社工服务中心").uscc
    job = upload_pairings(coordinator, [[uscc, "４３３１２７", "", "2023年1月5日"]])
    assert (job.status, job.errors) == (ImportJob.Status.SUCCEEDED, [])
    pairing = Pairing.objects.get()
    assert (pairing.county.code, pairing.start_date) == (
        "433127",
        datetime.date(2023, 1, 5),
    )


@pytest.mark.parametrize(
    "code, message",
    [
        ("4331271", "“4331271”不是县（区）或已录入村的代码。"),
        ("4331271162411", "“4331271162411”不是县（区）或已录入村的代码。"),
        ("43", "“43”不是县（区）或已录入村的代码。"),
    ],
)
def test_codes_of_no_county_or_village_are_refused(
    make_organization, coordinator, code, message
):
    uscc = make_organization(name="长沙市阳光社工服务中心").uscc
    job = upload_pairings(coordinator, [[uscc, code, "", ""]])
    assert errors_of(job) == {(2, "结对地区代码"): message}
    assert not Pairing.objects.exists()


def test_a_pairing_of_another_coordinator_is_neither_changed_nor_shown(
    make_organization, make_pairing, hunan_county, coordinator, make_user
):
    other = make_user("li", roles.COORDINATOR)
    organization = make_organization(name="长沙市阳光社工服务中心")
    theirs = make_pairing(
        organization=organization,
        county=hunan_county,
        coordinators=[other],
        start_date=datetime.date(2022, 3, 1),
    )
    job = upload_pairings(
        coordinator,
        [[organization.uscc.lower(), hunan_county.code + "000000", "", "2023-01-05"]],
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.preview in (None, {})
    [error] = job.errors
    assert "2022" not in error["message"]
    theirs.refresh_from_db()
    assert theirs.start_date == datetime.date(2022, 3, 1)
    assert Pairing.objects.count() == 1


# --- villages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--province", "99"], "区划数据中没有 99 下的村"),
        (["--county", "abc"], "“abc”不是县级代码"),
    ],
)
def test_load_villages_refuses_a_selection_with_no_villages(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_villages", *args)
    assert not Village.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["%", "_", "100%", "a_b", "' OR 1=1 --", "村" * 5000, "４３３１２７１１６２４１"],
)
def test_the_village_search_takes_any_text(client_for, text):
    call_command("load_villages", "--county", "433127")
    coordinator = client_for(roles.COORDINATOR)
    for name in (
        "wagtailsnippets_projects_village:list_results",
        "wagtailsnippetchoosers_projects_village:choose_results",
    ):
        response = coordinator.get(reverse(name), {"q": text})
        assert response.status_code == 200
        page = response.content.decode()
        if text == "４３３１２７１１６２４１":
            assert "双凤村" in page
        else:
            assert "双凤村" not in page


# --- a terminated award ---------------------------------------------------------------


def test_a_terminated_award_is_not_changed_by_an_import(
    officer,  # noqa: F811
    recorded,  # noqa: F811
    make_user,
):
    from funding.services.awards import award_terminate

    award = recorded["留守儿童关爱"]  # 100,000 awarded, 60,000 paid
    award_terminate(
        award,
        user=make_user("manager", roles.FUND_MANAGER),
        reason="项目负责人离职，无法继续实施",
        on=datetime.date(2022, 9, 1),
    )
    workbook = exported(officer)
    set_cell(workbook, "留守儿童关爱", "资助金额（元）", 120000)
    set_cell(workbook, "留守儿童关爱", "已拨付金额（元）", 90000)
    job, _url = upload_workbook(officer, workbook)

    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {
        (4, "资助金额（元）"): (
            "“雨花区阳光社工中心 · 留守儿童关爱”已于 2022-09-01 终止（终止时已拨付 "
            "60,000.00 元）：导入不会改动它。"
        )
    }
    award.refresh_from_db()
    assert (award.approved_amount, award.paid_total, award.paid_at_termination) == (
        Decimal("100000.00"),
        Decimal("60000.00"),
        Decimal("60000.00"),
    )


# --- the inbox ------------------------------------------------------------------------


def test_a_reviewer_counts_no_review_of_an_organization_she_declared_a_conflict_with(
    client_for, make_call, make_application
):
    from funding.choices import ApplicationStatus, ReviewStatus
    from funding.models import DeclaredConflict, Review
    from tests.support.inbox import inbox_lines

    call = make_call(name="2026年度福彩公益金项目")
    expert = client_for(roles.REVIEWER, "expert_zhou")
    mine, conflicted = (
        make_application(status=ApplicationStatus.IN_REVIEW, call=call)
        for _ in range(2)
    )
    for application in (mine, conflicted):
        Review.objects.create(
            application=application, reviewer=expert.user, status=ReviewStatus.ASSIGNED
        )
    DeclaredConflict.objects.create(
        reviewer=expert.user,
        organization=conflicted.organization,
        reason="曾任该机构理事",
    )

    [line] = [x for x in inbox_lines(expert) if x["label"].startswith("待评审")]

    assert line["label"] == "待评审 1"
    assert "已评 0/1" in line["text"]
    assert expert.get(line["href"]).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?p=-1", "?q=%25_%27--", "?year=99999999999999999999", "?inbox=1&x=" + "9" * 3000],
)
def test_the_dashboard_takes_any_query(client_for, query):
    response = client_for(roles.FUND_MANAGER).get(reverse("wagtailadmin_home") + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "待办事项" in page and "暂无待办" in page  # the inbox, empty


# --- purchases with several instalments and payments -----------------------------------


@pytest.fixture
def purchase(tmp_path, make_organization, make_user):
    """A purchase of 300,000 yuan imported by the command, then scheduled on the
    platform in two instalments (120,000 and 180,000), the first paid on
    2023-03-01 through the platform's three steps."""
    from funding.models import PaymentInstalment, PurchasePayment, ServicePurchase
    from tests.funding.test_purchase_import import row, to_xlsx

    supplier = make_organization(name="雨花区阳光社工中心")
    path = tmp_path / "购买服务.xlsx"
    path.write_bytes(to_xlsx([row(supplier, "300,000", "2023-01-01", "2023-12-31")]))
    call_command("import_purchases", str(path))
    stored = ServicePurchase.objects.get()
    first = stored.instalments.get()
    first.amount = Decimal("120000")
    first.save()
    PaymentInstalment.objects.create(
        purchase=stored, sort_order=1, label="尾款", amount=Decimal("180000")
    )
    PurchasePayment.objects.create(
        purchase=stored,
        instalment=first,
        amount=Decimal("120000"),
        status=DisbursementStatus.PAID,
        paid_on=datetime.date(2023, 3, 1),
        recorded_by=make_user("clerk"),
        approved_by=make_user("manager"),
        paid_by=make_user("finance"),
    )
    return stored


def export_purchases(client, edits):
    response = client.get(
        reverse("wagtailsnippets_funding_servicepurchase:list"), {"export": "xlsx"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for header, value in edits.items():
        sheet.cell(row=2, column=headers.index(header) + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "edits, column, message",
    [
        (
            {"合同金额（元）": "320,000"},
            "合同金额（元）",
            "付款计划有 2 期：请在购买服务页面连同付款计划一起修改合同金额。",
        ),
        (
            {"合同金额（元）": "100000"},
            "合同金额（元）",
            "此合同已有 120,000.00 元付款登记、审批或已支付：合同金额不能低于此数。",
        ),
        (
            {"合同签订日期": "2023/4/1"},
            "合同签订日期",
            "已于 2023-03-01 付款：合同签订日期（2023-04-01）不能晚于付款日期。",
        ),
    ],
)
def test_a_purchase_paid_on_the_platform_keeps_its_schedule(
    officer,  # noqa: F811
    purchase,
    edits,
    column,
    message,
):
    data = export_purchases(officer, edits)
    response = officer.post(
        reverse("funding_purchase_import"), {"file": upload("p.xlsx", data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {(2, column): message}
    purchase.refresh_from_db()
    assert purchase.contract_amount == Decimal("300000.00")
    assert [i.amount for i in purchase.instalments.order_by("sort_order")] == [
        Decimal("120000.00"),
        Decimal("180000.00"),
    ]
    assert purchase.history.count() == 1


def test_one_purchase_twice_in_a_file_with_its_start_written_two_ways_is_refused(
    make_organization,
):
    from tests.funding.test_purchase_import import messages, row, to_xlsx

    supplier = make_organization(name="雨花区阳光社工中心")
    again = row(supplier, "300000", "2023-01-05", "2023-12-31")
    again["供应方统一社会信用代码"] = supplier.uscc.lower()
    again["合同期起"] = "2023/1/5"
    data = to_xlsx([row(supplier, "300000", "2023-01-05", "2023-12-31"), again])
    assert messages(data) == [
        "第 3 行，“供应方统一社会信用代码”列：同一购买服务（购买部门、服务类别、供应方、合同期起）已出现在本文件第 2 行。"
    ]


# --- the commands' --user -------------------------------------------------------------


@pytest.mark.parametrize(
    "command, headers, cells",
    [
        ("import_pairings", PAIRING_HEADERS, ["433127", "", ""]),
        (
            "import_projects",
            ["统一社会信用代码", "项目名称", "帮扶地区代码", "类别"],
            ["阅读小屋", "433127", "阅读小屋"],
        ),
    ],
)
def test_the_command_refuses_a_user_who_may_not_import_the_kind(
    tmp_path, make_organization, make_user, command, headers, cells
):
    """`--user` names who the import runs for and whom the history names: an
    account that may not import the kind on the upload screen (a reviewer) is
    refused, as its confirmation would be, and is not made a coordinator."""
    expert = make_user("expert_zhou", roles.REVIEWER)
    uscc = make_organization(name="长沙市阳光社工服务中心").uscc
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx_bytes([[uscc, *cells]], headers=headers))
    with pytest.raises(CommandError, match="用户 expert_zhou 无权导入"):
        call_command(command, str(path), "--user", "expert_zhou")
    assert not Pairing.objects.exists()
    assert not expert.coordinated_pairings.exists()
