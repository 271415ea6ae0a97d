"""The award and purchase screens per role, through the admin URLs: fund managers
run them, finance gives the second approval, nobody else gets in; form errors are
in Chinese and leave the database unchanged."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from funding.choices import ApplicationStatus as S
from funding.models.awards import Disbursement, DisbursementStatus, PublicNotice
from funding.models.purchases import PurchasePayment
from tests.support.confirm import post_confirmed
from tests.support.payments import pay_through_desk

pytestmark = pytest.mark.django_db


def _text(response):
    return response.content.decode()


def _xlsx_rows(content):
    book = load_workbook(BytesIO(content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def _urls(award, purchase):
    return {
        "awards": reverse("wagtailsnippets_funding_award:list"),
        "desk": reverse("funding_award_desk", args=[award.pk]),
        "edit": reverse("wagtailsnippets_funding_award:edit", args=[award.pk]),
        "disbursements": reverse("wagtailsnippets_funding_disbursement:list"),
        "notices": reverse("wagtailsnippets_funding_publicnotice:list"),
        "purchases": reverse("wagtailsnippets_funding_servicepurchase:list"),
        "purchase_add": reverse("wagtailsnippets_funding_servicepurchase:add"),
        "payment_add": reverse("wagtailsnippets_funding_purchasepayment:add"),
        "figures": reverse("funding_purchase_rollup"),
    }


ALLOWED = {
    roles.FUND_MANAGER: {
        "awards",
        "desk",
        "edit",
        "disbursements",
        "notices",
        "purchases",
        "purchase_add",
        "payment_add",
        "figures",
    },
    roles.FINANCE: {"awards", "disbursements", "purchases", "figures"},
    roles.REVIEWER: set(),
    roles.OPERATOR: set(),
    roles.COORDINATOR: set(),
    roles.EDITOR: set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_who_reaches_the_award_and_purchase_screens(
    role, client_for, make_award, make_purchase
):
    client = client_for(role)
    for name, url in _urls(make_award(), make_purchase()).items():
        status = client.get(url).status_code
        if name in ALLOWED[role]:
            assert status == 200, (role, name)
        else:
            assert status in (302, 403), (role, name, status)


def test_manager_records_another_approves_finance_pays(client_for, make_award):
    award = make_award()
    tranche = award.tranches.first()
    manager = client_for(roles.FUND_MANAGER)
    chief = client_for(roles.FUND_MANAGER, username="chief")
    finance = client_for(roles.FINANCE)
    desk = reverse("funding_award_desk", args=[award.pk])

    refused = manager.post(
        desk, {"action": "disburse", "tranche": tranche.pk, "amount": "60000.01"}
    )
    assert refused.status_code == 200
    assert "最多还可拨付60,000.00元" in _text(refused)
    assert not Disbursement.objects.exists()
    refused = manager.post(
        desk, {"action": "disburse", "tranche": tranche.pk, "amount": "六万"}
    )
    assert "“六万”不是以元计的金额" in _text(refused)
    assert not Disbursement.objects.exists()

    assert (
        manager.post(
            desk, {"action": "disburse", "tranche": tranche.pk, "amount": "60000"}
        ).status_code
        == 302
    )
    d = Disbursement.objects.get()
    pay = reverse("funding_disbursement_action", args=[d.pk, "pay"])
    approve = reverse("funding_disbursement_action", args=[d.pk, "approve"])
    # finance cannot give the first approval, the manager cannot pay, and the
    # manager who recorded it cannot approve it (three people, DESIGN.md)
    assert finance.post(approve).status_code in (302, 403)
    assert manager.post(pay).status_code in (302, 403)
    manager.post(approve)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.RECORDED
    post_confirmed(chief, approve)
    d.refresh_from_db()
    assert (d.status, d.approved_by) == (DisbursementStatus.APPROVED, chief.user)
    assert finance.get(pay).status_code == 302  # to the payments desk's pay form
    pay_through_desk(finance, pay, "2023-0001")
    d.refresh_from_db()
    assert (d.status, d.paid_by) == (DisbursementStatus.PAID, finance.user)

    listing = finance.get(reverse("wagtailsnippets_funding_disbursement:list"))
    assert "已拨付（财务已审批）" in _text(listing)

    # the award's History shows its tranches and the named money steps, with who
    history = _text(
        manager.get(reverse("wagtailsnippets_funding_award:history", args=[award.pk]))
    )
    assert "拨付期次" in history
    assert "已登记拨付" in history and "已拨付" in history
    d_history = _text(
        manager.get(
            reverse("wagtailsnippets_funding_disbursement:history", args=[d.pk])
        )
    )
    assert "finance" in d_history


def _award_form(award, rows, signed_on=""):
    data = {
        "agreement_number": "HNFC-2023-001",
        "agreement_signed_on": signed_on,
        "agreement_document": "",
        "tranches-TOTAL_FORMS": str(len(rows)),
        "tranches-INITIAL_FORMS": str(award.tranches.count()),
        "tranches-MIN_NUM_FORMS": "1",
        "tranches-MAX_NUM_FORMS": "1000",
    }
    existing = list(award.tranches.all())
    for i, (percentage, condition) in enumerate(rows):
        data.update(
            {
                f"tranches-{i}-id": existing[i].pk if i < len(existing) else "",
                f"tranches-{i}-percentage": percentage,
                f"tranches-{i}-condition": condition,
                f"tranches-{i}-note": "",
                f"tranches-{i}-ORDER": str(i + 1),
            }
        )
    return data


def test_award_form_schedule_and_signing(client_for, make_award):
    award = make_award(sign=False)
    manager = client_for(roles.FUND_MANAGER)
    url = reverse("wagtailsnippets_funding_award:edit", args=[award.pk])

    refused = manager.post(
        url, _award_form(award, [("60", "signing"), ("30", "final")])
    )
    assert refused.status_code == 200
    assert "各期拨付比例合计为90%，而不是100%" in _text(refused)
    assert list(award.tranches.values_list("percentage", flat=True)) == [
        Decimal("60"),
        Decimal("40"),
    ]

    response = manager.post(
        url,
        _award_form(
            award, [("70", "signing"), ("30", "midterm")], signed_on="2023-06-20"
        ),
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert list(award.tranches.values_list("amount", "condition")) == [
        (Decimal("70000.00"), "signing"),
        (Decimal("30000.00"), "midterm"),
    ]
    assert award.agreement_signed_on == datetime.date(2023, 6, 20)
    assert award.application.status == S.IN_PROGRESS

    history = manager.get(
        reverse("wagtailsnippets_funding_award:history", args=[award.pk])
    )
    assert history.status_code == 200


def test_award_export_has_chinese_headers(client_for, make_award):
    make_award()
    manager = client_for(roles.FUND_MANAGER)
    response = manager.get(
        reverse("wagtailsnippets_funding_award:list") + "?export=xlsx"
    )
    assert response.status_code == 200
    header, first = _xlsx_rows(b"".join(response.streaming_content))[:2]
    # The columns of the past-award import, so that the file imports back.
    assert header[:6] == [
        "统一社会信用代码",
        "社会组织",
        "资金名称",
        "年度",
        "项目名称",
        "资助金额（元）",
    ]
    assert first[5] == 100000
    assert "实施中" in first


def test_notice_published_through_the_admin(client_for, approved_application):
    app = approved_application(Decimal("90000"))
    manager = client_for(roles.FUND_MANAGER)
    url = reverse("wagtailsnippets_funding_publicnotice:add")
    response = post_confirmed(
        manager,
        url,
        {
            "call": app.call.pk,
            "title": "2023年度湖南省福彩公益金资助项目立项公示",
            "starts_on": "2023-06-08",
            "working_days": "5",
            "objection_contact": "省民政厅 0731-00000000",
        },
    )
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.ends_on == datetime.date(2023, 6, 14)  # Thu + 5 working days
    app.refresh_from_db()
    assert app.status == S.IN_PUBLIC_NOTICE
    assert app.award.approved_amount == Decimal("90000")


def test_final_payment_form_says_why(client_for, make_purchase):
    purchase = make_purchase()
    first, final = purchase.instalments.all()
    manager = client_for(roles.FUND_MANAGER)
    url = reverse("wagtailsnippets_funding_purchasepayment:add")
    data = {
        "purchase": purchase.pk,
        "instalment": final.pk,
        "amount": "200000",
        "note": "",
    }
    refused = manager.post(url, data)
    assert refused.status_code == 200
    assert "各期款项须按顺序支付：“第1期”尚未付清" in _text(refused)
    data["amount"] = "-5"
    assert "金额必须大于零" in _text(manager.post(url, data))
    assert not PurchasePayment.objects.exists()

    data.update(instalment=first.pk, amount="300000")
    assert manager.post(url, data).status_code == 302
    payment = PurchasePayment.objects.get()
    assert (payment.recorded_by, payment.status) == (manager.user, "recorded")
    assert payment.history.count() == 1

    # paid by two other people, the final instalment then waits for the evaluation
    chief = client_for(roles.FUND_MANAGER, username="chief")
    finance = client_for(roles.FINANCE)
    action = "funding_purchase_payment_action"
    post_confirmed(chief, reverse(action, args=[payment.pk, "approve"]))
    pay_through_desk(finance, reverse(action, args=[payment.pk, "pay"]), "2023-0002")
    payment.refresh_from_db()
    assert payment.status == "paid"
    data.update(instalment=final.pk, amount="200000")
    refused = manager.post(url, data)
    assert "合同约定尾款须在绩效评价后支付" in _text(refused)
    assert PurchasePayment.objects.count() == 1


def test_purchase_form_schedule_must_match_the_contract(client_for, make_organization):
    manager = client_for(roles.FUND_MANAGER)
    org = make_organization()
    data = {
        "title": "吴江区困境儿童关爱服务",
        "purchasing_department": "苏州市吴江区民政局",
        "region": "",
        "service_category": "basic_public",
        "procurement_method": "consultation",
        "contract_number": "WJ-2024-08",
        "contract_amount": "400000",
        "signed_on": "2024-03-01",
        "starts_on": "2024-03-01",
        "ends_on": "2024-12-31",
        "supplier_kind": "social_org",
        "supplier": org.pk,
        "supplier_name": "",
        "final_payment_needs_evaluation": "on",
        "deliverables-TOTAL_FORMS": "0",
        "deliverables-INITIAL_FORMS": "0",
        "deliverables-MIN_NUM_FORMS": "0",
        "deliverables-MAX_NUM_FORMS": "1000",
        "instalments-TOTAL_FORMS": "2",
        "instalments-INITIAL_FORMS": "0",
        "instalments-MIN_NUM_FORMS": "1",
        "instalments-MAX_NUM_FORMS": "1000",
        "instalments-0-label": "首期",
        "instalments-0-due_on": "",
        "instalments-0-amount": "200000",
        "instalments-0-ORDER": "1",
        "instalments-1-label": "尾款",
        "instalments-1-due_on": "",
        "instalments-1-amount": "100000",
        "instalments-1-is_final": "on",
        "instalments-1-ORDER": "2",
    }
    url = reverse("wagtailsnippets_funding_servicepurchase:add")
    refused = manager.post(url, data)
    assert refused.status_code == 200
    assert "付款计划合计300,000.00元，与合同金额400,000.00元不符" in _text(refused)
    data["instalments-1-amount"] = "200000"
    assert manager.post(url, data).status_code == 302


def test_figures_screen_and_export(client_for, make_purchase):
    make_purchase(amount=Decimal("500000"))
    make_purchase(
        amount=Decimal("200000"),
        schedule=((Decimal("200000"), True),),
        supplier_kind="enterprise",
        supplier_name="某物业服务有限公司",
    )
    manager = client_for(roles.FUND_MANAGER)
    url = reverse("funding_purchase_rollup")
    page = manager.get(url, {"by": "method"})
    # 500,000 of 700,000 from social organizations = 71.43%
    assert "71.43" in _text(page)
    assert "竞争性磋商" in _text(page)
    export = manager.get(url, {"by": "department", "format": "xlsx"})
    header, row, total = _xlsx_rows(export.content)
    assert header[:3] == ["购买主体（部门）", "购买项目数", "合同金额（元）"]
    assert row[:3] == ["苏州市民政局", 2, 700000]
    assert total[5] == pytest.approx(71.43)


def test_objection_and_closing_through_the_admin(client_for, approved_application):
    from funding.services.notices import notice_publish

    app = approved_application()
    manager = client_for(roles.FUND_MANAGER)
    notice = notice_publish(
        app.call,
        title="立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="0731-00000000",
        user=manager.user,
    )
    desk = reverse("funding_award_desk", args=[app.award.pk])
    refused = manager.post(
        desk,
        {
            "action": "objection",
            "received_on": "2023-06-30",
            "objector": "匿名",
            "content": "材料不实",
        },
    )
    assert "不在公示期内" in _text(refused)
    assert not app.award.objections.exists()
    manager.post(
        desk,
        {
            "action": "objection",
            "received_on": "2023-06-07",
            "objector": "匿名",
            "content": "材料不实",
        },
    )
    assert app.award.objections.count() == 1
    close = reverse("funding_notice_close", args=[notice.pk])
    assert manager.get(close).status_code == 200
    post_confirmed(manager, close)  # today is long after 9 June 2023
    notice.refresh_from_db()
    assert notice.closed_on is not None
    app.refresh_from_db()
    assert app.status == S.IN_PUBLIC_NOTICE  # held by the open objection


def _project_form(pairing, links):
    data = {
        "pairing": pairing.pk,
        "title": "凤凰县宝贝小屋",
        "category": "cabin_baby",
        "start_date": "2023-07-01",
        "end_date": "",
        "budget": "150000",
        "status": "in_progress",
        "reporting_frequency": "half",
        "description": "",
        "funding_links-TOTAL_FORMS": str(len(links)),
        "funding_links-INITIAL_FORMS": "0",
        "funding_links-MIN_NUM_FORMS": "0",
        "funding_links-MAX_NUM_FORMS": "1000",
    }
    for i, (kind, source, amount) in enumerate(links):
        data.update(
            {
                f"funding_links-{i}-kind": kind,
                f"funding_links-{i}-fund_name": "",
                f"funding_links-{i}-source_id": source,
                f"funding_links-{i}-amount": amount,
                f"funding_links-{i}-note": "",
                f"funding_links-{i}-ORDER": str(i + 1),
            }
        )
    return data


def test_project_links_an_award_with_the_chooser(
    client_for, make_award, make_purchase, make_pairing
):
    from projects.models import Project

    award = make_award()  # 100,000
    own = award.application.organization
    purchase = make_purchase(supplier=own)
    client = client_for(roles.COORDINATOR)
    # the project's organization is the award's
    pairing = make_pairing(organization=own, coordinators=[client.user])
    url = reverse("wagtailsnippets_projects_project:add")
    form = client.get(url)
    assert f'value="grant_award:{award.pk}"' in _text(form)
    assert f'value="purchase:{purchase.pk}"' in _text(form)

    # more than the award holds
    refused = client.post(
        url,
        _project_form(
            pairing, [("grant_award", f"grant_award:{award.pk}", "100000.01")]
        ),
    )
    assert refused.status_code == 200
    assert "最多可关联 100,000.00 元" in _text(refused)
    # a purchase picked for a grant-award link is not taken for an award
    refused = client.post(
        url,
        _project_form(pairing, [("grant_award", f"purchase:{purchase.pk}", "5000")]),
    )
    assert "请选择这笔资金来自哪个资助项目" in _text(refused)
    assert not Project.objects.exists()

    response = client.post(
        url,
        _project_form(pairing, [("grant_award", f"grant_award:{award.pk}", "80000")]),
    )
    assert response.status_code == 302
    link = Project.objects.get().funding_links.get()
    assert (link.source, link.fund_name) == (award, "2023 湖南省福彩公益金")
    edit = client.get(
        reverse("wagtailsnippets_projects_project:edit", args=[link.project_id])
    )
    assert f'value="grant_award:{award.pk}" selected' in _text(edit)


def test_money_screens_that_bypass_the_services_are_closed(
    client_for, make_award, make_purchase, make_user, manager
):
    from django.test import Client

    from funding.services.disbursements import disbursement_record

    award = make_award()
    d = disbursement_record(award.tranches.first(), amount="1000", user=manager)
    admin = Client()
    admin.force_login(make_user("root", roles.ADMINISTRATOR, is_superuser=True))
    for url in [
        reverse("wagtailsnippets_funding_award:add"),
        reverse("wagtailsnippets_funding_award:delete", args=[award.pk]),
        reverse("wagtailsnippets_funding_disbursement:add"),
        reverse("wagtailsnippets_funding_disbursement:edit", args=[d.pk]),
        reverse("wagtailsnippets_funding_disbursement:delete", args=[d.pk]),
    ]:
        assert admin.get(url).status_code in (302, 403), url
    assert admin.post(
        reverse("wagtailsnippets_funding_disbursement:edit", args=[d.pk]),
        {"tranche": d.tranche_id, "amount": "1000", "status": "paid", "note": ""},
    ).status_code in (302, 403)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.RECORDED
    assert admin.get(reverse("wagtailsnippets_funding_award:list")).status_code == 200


def test_evaluation_through_the_admin_grades_by_band(client_for, make_purchase):
    from funding.models.purchases import Grade, PerformanceEvaluation

    purchase = make_purchase()
    manager = client_for(roles.FUND_MANAGER)
    data = {
        "purchase": purchase.pk,
        "evaluated_on": "2024-01-03",
        "evaluator": "苏州市社会组织评估中心",
        "score": "105",
        "comment": "",
    }
    url = reverse("wagtailsnippets_funding_performanceevaluation:add")
    refused = manager.post(url, data)
    assert refused.status_code == 200
    assert not PerformanceEvaluation.objects.exists()
    data["score"] = "79.99"
    assert manager.post(url, data).status_code == 302
    evaluation = PerformanceEvaluation.objects.get()
    assert evaluation.grade == Grade.FAIR
    edit = reverse(
        "wagtailsnippets_funding_performanceevaluation:edit", args=[evaluation.pk]
    )
    data["score"] = "90"
    assert manager.post(edit, data).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.grade) == (Decimal("90"), Grade.EXCELLENT)
    assert evaluation.history.count() == 2
