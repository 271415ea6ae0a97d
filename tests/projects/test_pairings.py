"""Pairings: counties and villages, alliances, cross-province cooperation, and
coordinators seeing only the pairings they coordinate (per role, through the admin)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from core.models import Region
from projects.models import Alliance, OutcomeReport, Pairing, Project, Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def test_cross_province_pairing_is_recognised_and_filtered(
    make_pairing, suzhou_org, shaanxi_county, hunan_county
):
    cross = make_pairing(suzhou_org, shaanxi_county)  # 江苏 → 陕西
    local = make_pairing(county=hunan_county)  # 湖南 → 湖南

    assert cross.is_cross_province
    assert not local.is_cross_province
    assert list(Pairing.objects.cross_province()) == [cross]
    assert list(Pairing.objects.cross_province(False)) == [local]


def test_admin_filter_cross_province(
    client_for, make_pairing, suzhou_org, shaanxi_county
):
    client = client_for(roles.ADMINISTRATOR)
    make_pairing(suzhou_org, shaanxi_county)
    make_pairing()
    url = reverse("wagtailsnippets_projects_pairing:list")

    page = client.get(url, {"cross_province": "true"}).content.decode()

    assert "苏州市慈善基金会" in page
    assert "测试社会工作服务中心" not in page


def test_pairing_rules(make_pairing, hunan_county, shaanxi_county):
    village = Village.objects.create(
        county=shaanxi_county, town="城关镇", name="新桃村"
    )
    alliance = Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    pairing = make_pairing(county=hunan_county)

    pairing.village = village
    pairing.alliance = alliance
    pairing.end_date = datetime.date(2022, 1, 1)
    with pytest.raises(ValidationError) as exc:
        pairing.full_clean()
    errors = exc.value.message_dict
    assert errors["village"] == ["该村不在所选县内。"]
    assert errors["alliance"] == ["该合力团帮扶的是另一个县。"]
    assert errors["end_date"] == ["结束日期早于开始日期。"]

    pairing.county = Region.objects.get(code="430000")  # a province, not a county
    with pytest.raises(ValidationError) as exc:
        pairing.clean()
    assert "county" in exc.value.message_dict


def test_alliance_groups_organizations_for_one_county(
    make_organization, make_pairing, shaanxi_county
):
    alliance = Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    for name in ("陕西省慈善协会", "陕西省扶贫开发基金会", "安康市紫阳富硒茶产业协会"):
        make_pairing(make_organization(name=name), shaanxi_county, alliance=alliance)

    members = alliance.pairings.values_list("organization__name", flat=True)
    assert sorted(members) == sorted(
        ["陕西省慈善协会", "陕西省扶贫开发基金会", "安康市紫阳富硒茶产业协会"]
    )


# --- who sees what ----------------------------------------------------------------


@pytest.fixture
def two_pairings(make_user, make_pairing, make_project, make_report, make_organization):
    mine_user = make_user("mine", roles.COORDINATOR)
    mine = make_pairing(
        make_organization(name="我的结对组织"), coordinators=[mine_user]
    )
    theirs = make_pairing(make_organization(name="别人的结对组织"))
    my_project = make_project(pairing=mine, title="我的项目")
    their_project = make_project(pairing=theirs, title="别人的项目")
    my_report = make_report(my_project, 2024, 1, {"jobs": "1"})
    their_report = make_report(their_project, 2024, 1, {"jobs": "2"})
    return {
        "user": mine_user,
        "pairing": (mine, theirs),
        "project": (my_project, their_project),
        "outcomereport": (my_report, their_report),
    }


@pytest.mark.parametrize("model", ["pairing", "project", "outcomereport"])
def test_coordinator_lists_only_own(client, two_pairings, model):
    client.force_login(two_pairings["user"])
    mine, theirs = two_pairings[model]

    page = client.get(
        reverse(f"wagtailsnippets_projects_{model}:list")
    ).content.decode()

    assert reverse(f"wagtailsnippets_projects_{model}:edit", args=[mine.pk]) in page
    assert (
        reverse(f"wagtailsnippets_projects_{model}:edit", args=[theirs.pk]) not in page
    )


@pytest.mark.parametrize("model", ["pairing", "project", "outcomereport"])
@pytest.mark.parametrize("view", ["edit", "history"])
def test_coordinator_cannot_open_others(client, two_pairings, model, view):
    client.force_login(two_pairings["user"])
    mine, theirs = two_pairings[model]

    ok = client.get(reverse(f"wagtailsnippets_projects_{model}:{view}", args=[mine.pk]))
    refused = client.get(
        reverse(f"wagtailsnippets_projects_{model}:{view}", args=[theirs.pk])
    )

    assert ok.status_code in (200, 302) and ok.get("Location") != reverse(
        "wagtailadmin_home"
    )
    assert refused.status_code == 404


def test_coordinator_cannot_edit_others_by_post(client, two_pairings):
    client.force_login(two_pairings["user"])
    _mine, theirs = two_pairings["project"]
    url = reverse("wagtailsnippets_projects_project:edit", args=[theirs.pk])

    client.post(url, {"title": "改名"})

    assert Project.objects.get(pk=theirs.pk).title == "别人的项目"


def test_coordinator_review_screen_refused_for_others(client, two_pairings):
    client.force_login(two_pairings["user"])
    mine, theirs = two_pairings["outcomereport"]
    assert (
        client.get(reverse("projects_report_review", args=[mine.pk])).status_code == 200
    )
    refused = client.get(reverse("projects_report_review", args=[theirs.pk]))
    assert refused.status_code == 404


def test_coordinator_chooser_offers_only_own_pairings(client, two_pairings):
    client.force_login(two_pairings["user"])
    mine, theirs = two_pairings["pairing"]
    page = client.get(
        reverse("wagtailsnippetchoosers_projects_pairing:choose_results")
    ).content.decode()
    assert "我的结对组织" in page
    assert "别人的结对组织" not in page
    chosen = "wagtailsnippetchoosers_projects_pairing:chosen"
    assert client.get(reverse(chosen, args=[mine.pk])).status_code == 200
    assert client.get(reverse(chosen, args=[theirs.pk])).status_code == 404


def test_editor_picks_any_project_for_a_story_page(client_for, two_pairings):
    """An editor links a project story page to a project: the project chooser offers
    every project (coordinators still see only their own)."""
    editor = client_for("editor")
    page = editor.get(
        reverse("wagtailsnippetchoosers_projects_project:choose_results")
    ).content.decode()
    assert "我的项目" in page and "别人的项目" in page
    _mine, theirs = two_pairings["project"]
    chosen = "wagtailsnippetchoosers_projects_project:chosen"
    assert editor.get(reverse(chosen, args=[theirs.pk])).status_code == 200
    # …but the chooser is all they get: no project listing, no edit screen.
    assert (
        editor.get(reverse("wagtailsnippets_projects_project:list")).status_code == 302
    )


def test_coordinator_cannot_put_a_project_under_others_pairing(client, two_pairings):
    client.force_login(two_pairings["user"])
    _mine, theirs = two_pairings["pairing"]
    response = client.post(
        reverse("wagtailsnippets_projects_project:add"),
        {
            "pairing": theirs.pk,
            "title": "越权项目",
            "category": "consumption",
            "start_date": "2024-01-01",
            "budget": "1000",
            "status": "planned",
            "reporting_frequency": "half",
            "description": "",
            "funding_links-TOTAL_FORMS": "0",
            "funding_links-INITIAL_FORMS": "0",
            "funding_links-MIN_NUM_FORMS": "0",
            "funding_links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Project.objects.filter(title="越权项目").exists()


@pytest.mark.parametrize("role", [roles.FUND_MANAGER, roles.ADMINISTRATOR])
def test_roles_with_full_view_see_every_pairing(client_for, two_pairings, role):
    client = client_for(role)
    page = client.get(reverse("wagtailsnippets_projects_pairing:list")).content.decode()
    assert "我的结对组织" in page
    assert "别人的结对组织" in page


@pytest.mark.parametrize("role", [roles.OPERATOR, roles.REVIEWER, roles.EDITOR])
def test_other_roles_have_no_access(client_for, two_pairings, role):
    client = client_for(role)
    for url in (
        reverse("wagtailsnippets_projects_pairing:list"),
        reverse("wagtailsnippets_projects_outcomereport:list"),
        reverse("projects_rollup"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_fund_manager_cannot_change_reports(client_for, two_pairings):
    client = client_for(roles.FUND_MANAGER)
    _mine, theirs = two_pairings["outcomereport"]
    response = client.get(
        reverse("wagtailsnippets_projects_outcomereport:edit", args=[theirs.pk])
    )
    assert response.status_code == 302
    assert OutcomeReport.objects.count() == 2


def test_coordinator_who_records_a_pairing_coordinates_it(
    client_for, make_organization, hunan_county
):
    client = client_for(roles.COORDINATOR)
    org = make_organization(name="湖南省乡村振兴促进会")

    response = client.post(
        reverse("wagtailsnippets_projects_pairing:add"),
        {
            "organization": org.pk,
            "county": hunan_county.pk,
            "start_date": "2024-03-01",
            "agreement_number": "XZ-001",
            "note": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    pairing = Pairing.objects.get()
    assert list(pairing.coordinators.all()) == [client.user]
    # and it is recorded in the history, with who did it
    assert pairing.history.first().history_user == client.user


def test_pairing_history_screen_shows_changes(client_for, make_pairing):
    client = client_for(roles.ADMINISTRATOR)
    pairing = make_pairing(agreement_number="XZ-1")
    pairing.agreement_number = "XZ-2"
    pairing.save()

    page = client.get(
        reverse("wagtailsnippets_projects_pairing:history", args=[pairing.pk])
    ).content.decode()

    assert "XZ-1" in page and "XZ-2" in page


def test_agreement_file_only_for_those_who_see_the_pairing(client_for, make_pairing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    mine = client_for(roles.COORDINATOR, "mine")
    other = client_for(roles.COORDINATOR, "other")
    pairing = make_pairing(coordinators=[mine.user])
    pairing.agreement = SimpleUploadedFile("协议.pdf", b"agreement")
    pairing.save()
    url = pairing.agreement.url

    assert url.startswith("/admin/projects/files/")
    assert b"".join(mine.get(url).streaming_content) == b"agreement"
    assert other.get(url).status_code == 404
    assert client_for(roles.FUND_MANAGER).get(url).status_code == 200
    # the public never gets it
    from django.test import Client

    assert Client().get(url).status_code == 302


def test_coordinator_choices_are_coordinators(client_for, make_user):
    client = client_for(roles.ADMINISTRATOR, "boss")
    make_user("xiaoli", roles.COORDINATOR)
    make_user("reviewer-wang", roles.REVIEWER)

    page = client.get(reverse("wagtailsnippets_projects_pairing:add")).content.decode()

    assert "xiaoli" in page
    assert "reviewer-wang" not in page
