"""The organization registry in the Wagtail admin, as each role sees it."""

import datetime
import io

import pandas as pd
import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from incubator.choices import CreditList, OrganizationType
from incubator.models import CreditEntry, Organization

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_incubator_organization:list")


def edit_url(org):
    return reverse("wagtailsnippets_incubator_organization:edit", args=[org.pk])


def history_url(org):
    return reverse("wagtailsnippets_incubator_organization:history", args=[org.pk])


@pytest.fixture
def registry(make_organization, service_fields):
    changsha = make_organization(
        name="长沙市雨花区同心社会工作服务中心",
        rating="3A",
        rated_on=datetime.date(2022, 1, 1),
    )
    changsha.service_fields.set([service_fields["养老"]])
    changsha.save()
    xian = make_organization(
        name="陕西省慈善协会",
        org_type=OrganizationType.SOCIAL_GROUP,
        region=Region.objects.get(code="610113"),
        registration_level="province",
    )
    xian.service_fields.set([service_fields["乡村振兴"]])
    xian.save()
    fund = make_organization(
        name="湖南省青少年发展基金会", org_type=OrganizationType.FOUNDATION
    )
    CreditEntry.objects.create(
        organization=fund,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="失信",
        date_in=datetime.date(2024, 1, 1),
    )
    return {"changsha": changsha, "xian": xian, "fund": fund}


def names(response):
    html = response.content.decode()
    return {
        n
        for n in [
            "长沙市雨花区同心社会工作服务中心",
            "陕西省慈善协会",
            "湖南省青少年发展基金会",
        ]
        if n in html
    }


def test_operator_browses_in_chinese(client_for, registry):
    response = client_for(roles.OPERATOR).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "社会组织" in html and "统一社会信用代码" in html
    assert names(response) == {
        "长沙市雨花区同心社会工作服务中心",
        "陕西省慈善协会",
        "湖南省青少年发展基金会",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "慈善"}, {"陕西省慈善协会"}),
        ({"org_type": "foundation"}, {"湖南省青少年发展基金会"}),
        ({"registration_level": "province"}, {"陕西省慈善协会"}),
        ({"rating": "3A"}, {"长沙市雨花区同心社会工作服务中心"}),
        ({"credit_status": "dishonest"}, {"湖南省青少年发展基金会"}),
        (
            {"credit_status": "normal"},
            {"长沙市雨花区同心社会工作服务中心", "陕西省慈善协会"},
        ),
        ({"region": "province:610000"}, {"陕西省慈善协会"}),
        (
            {"region": "city:430100"},
            {"长沙市雨花区同心社会工作服务中心", "湖南省青少年发展基金会"},
        ),
        ({"service_fields": "养老"}, {"长沙市雨花区同心社会工作服务中心"}),
    ],
)
def test_search_and_filters(client_for, registry, query, expected):
    params = dict(query)
    if "region" in params:
        params["region"] = Region.objects.get(code=params["region"].split(":")[1]).pk
    if "service_fields" in params:
        from incubator.models import ServiceField

        params["service_fields"] = ServiceField.objects.get(
            name=params["service_fields"]
        ).pk
    response = client_for(roles.OPERATOR).get(LIST, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_operator_edits_and_sees_the_change_in_history(client_for, registry):
    client = client_for(roles.OPERATOR)
    org = registry["changsha"]
    response = client.get(edit_url(org))
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name == "service_fields":
            data[name] = [v.pk if hasattr(v, "pk") else v for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    for prefix in ("inspections", "credit_entries"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data["name"] = "长沙市雨花区同心社工服务中心"
    data["business_supervisor"] = "雨花区民政局"
    response = client.post(edit_url(org), data)
    assert response.status_code == 302, response.context["form"].errors
    org.refresh_from_db()
    assert org.name == "长沙市雨花区同心社工服务中心"

    response = client.get(history_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    assert "变更记录" in html
    assert client.user.username in html or client.user.get_full_name() in html
    assert "长沙市雨花区同心社会工作服务中心" in html  # old value
    assert "长沙市雨花区同心社工服务中心" in html  # new value
    assert "业务主管单位" in html and "雨花区民政局" in html


def test_invalid_edit_is_refused_with_the_reason(client_for, registry):
    client = client_for(roles.OPERATOR)
    org = registry["xian"]
    before = Organization.objects.get(pk=org.pk).uscc
    response = client.post(
        edit_url(org),
        {
            "name": org.name,
            "uscc": "51610113000000000X",
            "org_type": org.org_type,
            "registration_level": org.registration_level,
            "region": org.region_id,
            "registration_status": "active",
            "party_organization": "none",
            **{
                f"{p}-{k}": 0
                for p in ("inspections", "credit_entries")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert Organization.objects.get(pk=org.pk).uscc == before


def test_history_lists_child_records(client_for, registry):
    client = client_for(roles.OPERATOR)
    html = client.get(history_url(registry["fund"])).content.decode()
    assert "信用名单记录" in html and "严重违法失信名单" in html


@pytest.mark.parametrize(
    ("role", "can_list", "can_edit"),
    [
        (roles.ADMINISTRATOR, True, True),
        (roles.OPERATOR, True, True),
        (roles.FUND_MANAGER, True, False),
        (roles.COORDINATOR, True, False),
        (roles.EDITOR, True, False),
        (roles.REVIEWER, False, False),
    ],
)
def test_permissions_per_role(client_for, registry, role, can_list, can_edit):
    client = client_for(role)
    org = registry["changsha"]
    listing = client.get(LIST)
    assert (listing.status_code == 200) is can_list
    edit_post = client.post(edit_url(org), {"name": "被篡改"})
    org.refresh_from_db()
    assert (org.name == "被篡改") is False  # an incomplete form never saves
    if not can_edit:
        assert edit_post.status_code in (302, 403)
        assert client.get(edit_url(org)).status_code in (302, 403)
    import_page = client.get(reverse("incubator_organization_import"))
    assert (import_page.status_code == 200) is can_edit


def test_anonymous_visitor_is_sent_to_login(client, registry):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_export_to_excel_has_chinese_headers_and_the_filtered_rows(
    client_for, registry
):
    client = client_for(roles.OPERATOR)
    response = client.get(LIST, {"org_type": "social_group", "export": "xlsx"})
    assert response.status_code == 200
    frame = pd.read_excel(io.BytesIO(b"".join(response.streaming_content)), dtype=str)
    assert list(frame.columns[:7]) == [
        "名称",
        "统一社会信用代码",
        "备案号",
        "类型",
        "登记级别",
        "行政区划代码",
        "地区",
    ]
    assert "信用状况" in frame.columns and "法定代表人" in frame.columns
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["名称"] == "陕西省慈善协会"
    assert row["类型"] == "社会团体"
    assert row["地区"] == "陕西省西安市雁塔区"
    assert row["统一社会信用代码"] == registry["xian"].uscc
    assert row["服务领域"] == "乡村振兴"
    assert row["信用状况"] == "正常"


def test_exported_file_can_be_imported_again(client_for, registry):
    from core.imports import get_importer, import_validate

    client = client_for(roles.OPERATOR)
    data = b"".join(client.get(LIST, {"export": "xlsx"}).streaming_content)
    Organization.objects.all().delete()
    result = import_validate(
        get_importer("organizations"), io.BytesIO(data), "export.xlsx"
    )
    assert result.errors == []
    assert len(result.records) == 3


def test_english_user_sees_english(client_for, registry):
    client = client_for(roles.OPERATOR, language="en")
    html = client.get(LIST).content.decode()
    assert (
        "Social organizations" in html
        and "unified social credit code".lower() in html.lower()
    )
    frame = pd.read_excel(
        io.BytesIO(b"".join(client.get(LIST, {"export": "xlsx"}).streaming_content))
    )
    assert frame.columns[0].lower() == "name"


def test_browser_language_does_not_override_the_chinese_default(client_for, registry):
    client = client_for(roles.OPERATOR)
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "统一社会信用代码" in html


def test_language_cookie_switches_to_english(client_for, registry):
    from django.conf import settings

    client = client_for(roles.OPERATOR)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(LIST).content.decode()
    assert "unified social credit code" in html.lower()


def test_history_shows_service_field_changes(client_for, registry, service_fields):
    org = registry["xian"]
    org.service_fields.set([service_fields["乡村振兴"], service_fields["儿童"]])
    org.save()
    html = client_for(roles.OPERATOR).get(history_url(org)).content.decode()
    assert "服务领域" in html
    assert "乡村振兴、儿童" in html or "儿童、乡村振兴" in html


def test_listing_headings_are_translated(client_for, registry):
    html = client_for(roles.OPERATOR).get(LIST).content.decode()
    assert "信用状况" in html
    assert "Get credit status display" not in html
