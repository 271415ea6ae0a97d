"""The spot-check screens as the registration officer uses them: the campaign page
with its verification, the draw behind a confirmation, a result entered on screen
and refused when incomplete, results imported from a spreadsheet with Chinese
headers, and the public list (names and results, no inspector)."""

import io

import pytest

from core.imports import get_importer, import_plan_write, import_validate
from incubator.models import SpotCheck
from incubator.services.spotchecks import spotcheck_campaign_draw
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401
from tests.support.spreadsheets import xlsx_bytes


@pytest.fixture
def officer(province_scope, client):  # noqa: F811
    campaign, orgs, user = province_scope
    client.force_login(user)
    return client, campaign, orgs, user


def test_the_draw_asks_for_confirmation_then_draws(officer):
    client, campaign, _orgs, _user = officer
    url = f"/admin/supervision/spot-checks/{campaign.pk}/draw/"
    page = client.get(url)
    text = page.content.decode()
    # 12 in scope; risk 2 × 50 % = 1; others 10 × 10 % = 1
    assert "共 12 家已登记社会组织" in text
    assert "2 × 50.00% = 抽取 1 家" in text
    assert "10 × 10.00% = 抽取 1 家" in text
    assert not SpotCheck.objects.exists()
    token = page.context["confirmation"].token
    done = client.post(url, {"confirm_token": token})
    assert done.status_code == 302
    assert SpotCheck.objects.filter(campaign=campaign).count() == 2
    again = client.post(url, {"confirm_token": token})  # a replay draws nothing
    assert again.status_code == 409
    assert SpotCheck.objects.filter(campaign=campaign).count() == 2
    page = client.get(f"/admin/supervision/spot-checks/{campaign.pk}/")
    assert "一致" in page.content.decode()


def test_a_result_on_screen_and_its_refusal(officer):
    client, campaign, _orgs, user = officer
    spotcheck_campaign_draw(campaign=campaign, user=user)
    check = campaign.checks.order_by("position").first()
    url = f"/admin/supervision/spot-checks/checks/{check.pk}/result/"
    refused = client.post(url, {"result": "rectify", "checked_on": "2025-11-20"})
    assert refused.status_code == 200
    assert "请填写存在的问题" in refused.content.decode()
    check.refresh_from_db()
    assert check.result == "pending"
    done = client.post(
        url,
        {
            "result": "rectify",
            "checked_on": "2025-11-20",
            "problems": "未按规定使用票据",
            "rectification": "规范票据使用",
            "rectify_by": "2026-01-20",
        },
    )
    assert done.status_code == 302
    check.refresh_from_db()
    assert (check.result, check.problems) == ("rectify", "未按规定使用票据")


def test_results_import_from_chinese_headers(officer):
    _client, campaign, orgs, user = officer
    spotcheck_campaign_draw(campaign=campaign, user=user)
    first, second = campaign.checks.order_by("position")
    headers = [
        "抽查活动",
        "统一社会信用代码",
        "检查结果",
        "检查日期",
        "存在问题",
        "整改要求",
        "整改期限",
    ]
    rows = [
        [campaign.name, first.organization.uscc, "合格", "2025-11-20", "", "", ""],
        [
            campaign.name,
            second.organization.uscc,
            "不合格",
            "2025-11-21",
            "未开展活动",
            "",
            "",
        ],
    ]
    importer = get_importer("spotcheck_results", user)
    result = import_validate(importer, io.BytesIO(xlsx_bytes(rows, headers)), "r.xlsx")
    assert result.errors == []
    plan = importer.plan(result)
    assert len(plan.changed) == 2 and not plan.new
    import_plan_write(importer, plan, user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, second.result) == ("passed", "failed")
    assert second.problems == "未开展活动"


def test_import_refuses_an_undrawn_organization_and_writes_nothing(officer):
    _client, campaign, orgs, user = officer
    spotcheck_campaign_draw(campaign=campaign, user=user)
    drawn = set(campaign.checks.values_list("organization_id", flat=True))
    outsider = next(o for o in orgs if o.pk not in drawn)
    headers = ["抽查活动", "统一社会信用代码", "检查结果", "检查日期"]
    rows = [[campaign.name, outsider.uscc, "合格", "2025-11-20"]]
    importer = get_importer("spotcheck_results", user)
    result = import_validate(importer, io.BytesIO(xlsx_bytes(rows, headers)), "r.xlsx")
    assert len(result.errors) == 1
    assert result.errors[0].row == 2
    assert "未抽中" in result.errors[0].message


def test_the_public_list_shows_names_and_results_only(officer):
    client, campaign, _orgs, user = officer
    spotcheck_campaign_draw(campaign=campaign, user=user)
    client.logout()
    page = client.get(f"/supervision/spot-checks/{campaign.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for check in campaign.checks.all():
        assert check.organization.name in text
        for inspector in check.inspectors.all():
            assert inspector.name not in text
            assert inspector.unit not in text
    assert "待检查" in text


def test_an_undrawn_campaign_has_no_public_list(officer):
    client, campaign, _orgs, _user = officer
    assert client.get(f"/supervision/spot-checks/{campaign.pk}/").status_code == 404
