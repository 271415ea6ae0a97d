"""Attack on the stored cross-province flag of a pairing (跨省协作): every write
that changes a pairing's county or organization, an organization's region or a
division's code leaves the flag as the regions give it — `verify_rollups` finds
no difference and the headline and the listing's filter agree with the regions."""

import io

import pytest
from django.core.management import call_command

from core import roles
from core.models import Region
from incubator.models import Organization
from projects.models import Pairing
from projects.selectors.rollup_totals import pairing_province_differences
from projects.selectors.rollups import headline
from projects.services.pairings import pairings_provinces_refresh
from tests.incubator.test_organization_import import good_row, rows_to_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def changsha_org(make_organization):
    return make_organization(
        name="长沙市阳光社工服务中心", region=Region.objects.get(code="430100")
    )


def flags():
    return sorted(
        Pairing.objects.values_list(
            "organization__name", "county__code", "crosses_provinces"
        )
    )


def test_a_pairing_moved_to_another_county_with_update_fields(
    make_pairing, changsha_org, shaanxi_county
):
    pairing = make_pairing(changsha_org)  # 湖南 → 湖南
    pairing.county = shaanxi_county
    pairing.save(update_fields=["county"])
    assert flags() == [("长沙市阳光社工服务中心", "610924", True)]
    assert pairing_province_differences() == []
    assert headline()["cross_province"] == 1


def test_a_pairing_given_another_organization(make_pairing, changsha_org, suzhou_org):
    pairing = make_pairing(changsha_org)  # 湖南 → 湖南
    pairing.organization = suzhou_org
    pairing.save()
    assert flags() == [("苏州市慈善基金会", "433127", True)]
    pairing.organization = changsha_org
    pairing.save(update_fields=["organization"])
    assert flags() == [("长沙市阳光社工服务中心", "433127", False)]
    assert pairing_province_differences() == []


def test_the_admin_edit_of_a_pairing_changes_the_flag(
    client_for, make_pairing, changsha_org, suzhou_org, hunan_county
):
    from django.urls import reverse

    admin = client_for(roles.ADMINISTRATOR)
    pairing = make_pairing(changsha_org)
    url = reverse("wagtailsnippets_projects_pairing:edit", args=[pairing.pk])
    response = admin.post(
        url,
        {
            "organization": suzhou_org.pk,
            "county": hunan_county.pk,
            "start_date": "2023-01-01",
            "note": "",
            "agreement_number": "",
        },
    )
    assert response.status_code == 302
    assert flags() == [("苏州市慈善基金会", "433127", True)]
    assert pairing_province_differences() == []


def test_an_organization_moved_by_the_update_import(tmp_path, make_pairing):
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(rows_to_xlsx([good_row(1, 服务领域="")]))  # 长沙市雨花区 (湖南)
    call_command("import_organizations", str(path), stdout=io.StringIO())
    org = Organization.objects.get()
    make_pairing(org)  # 湖南 → 湖南永顺
    assert flags() == [("长沙市雨花区第1社会工作服务中心", "433127", False)]

    path.write_bytes(
        rows_to_xlsx([good_row(1, 服务领域="", 行政区划代码="320500")])
    )  # 苏州
    call_command("import_organizations", str(path), "--update", stdout=io.StringIO())
    assert Organization.objects.get().region.code == "320500"
    assert flags() == [("长沙市雨花区第1社会工作服务中心", "433127", True)]
    assert pairing_province_differences() == []
    assert headline()["cross_province"] == 1


def test_a_division_whose_code_is_corrected(make_pairing, changsha_org):
    """A division's code edited in the admin (Administrative divisions): its
    pairings — as county or as the organization's region — follow."""
    county = Region.objects.create(
        code="439999", name="测试县", level=Region.Level.COUNTY
    )
    make_pairing(changsha_org, county)  # 湖南 → 湖南
    assert flags() == [("长沙市阳光社工服务中心", "439999", False)]

    county.code = "619999"  # the division is in 陕西 after all
    county.save()
    assert flags() == [("长沙市阳光社工服务中心", "619999", True)]
    assert pairing_province_differences() == []
    assert headline()["cross_province"] == 1


def test_the_region_of_an_organization_whose_code_is_corrected(
    make_organization, make_pairing, hunan_county
):
    region = Region.objects.create(
        code="439998", name="测试区", level=Region.Level.COUNTY
    )
    org = make_organization(name="测试区社工服务中心", region=region)
    make_pairing(org, hunan_county)  # 湖南 → 湖南
    region.code = "619998"  # in 陕西
    region.save(update_fields=["code"])
    assert flags() == [("测试区社工服务中心", "433127", True)]
    assert pairing_province_differences() == []

    region.name = "测试新区"
    region.save(update_fields=["name"])  # as load_regions does: nothing to follow
    assert flags() == [("测试区社工服务中心", "433127", True)]


def test_a_coordinator_counts_only_their_cross_province_pairings(
    make_user, make_pairing, changsha_org, suzhou_org, shaanxi_county
):
    zhou = make_user("zhou", roles.COORDINATOR)
    make_pairing(suzhou_org, shaanxi_county, coordinators=[zhou])  # cross
    make_pairing(suzhou_org)  # cross, not his
    make_pairing(changsha_org, coordinators=[zhou])  # local
    assert headline(zhou)["cross_province"] == 1
    assert headline(zhou)["pairings"] == 2
    assert headline()["cross_province"] == 2


def test_the_refresh_fills_flags_of_pairings_stored_before_the_flag(
    make_pairing, changsha_org, suzhou_org, shaanxi_county
):
    """What the migration's fill does on a database with pairings: every flag
    False, then worked out from the regions."""
    make_pairing(suzhou_org, shaanxi_county)
    make_pairing(suzhou_org)
    make_pairing(changsha_org)
    make_pairing(changsha_org, shaanxi_county)
    Pairing.objects.update(crosses_provinces=False)
    assert pairings_provinces_refresh() == 3
    assert flags() == [
        ("苏州市慈善基金会", "433127", True),
        ("苏州市慈善基金会", "610924", True),
        ("长沙市阳光社工服务中心", "433127", False),
        ("长沙市阳光社工服务中心", "610924", True),
    ]
    assert pairing_province_differences() == []
    assert pairings_provinces_refresh() == 0


def test_the_listing_filter_follows_an_organization_moved_in_the_admin(
    client_for, make_pairing, changsha_org, suzhou_org
):
    from django.urls import reverse

    admin = client_for(roles.ADMINISTRATOR)
    make_pairing(changsha_org)  # 湖南 → 湖南
    make_pairing(suzhou_org)  # 江苏 → 湖南
    changsha_org.region = Region.objects.get(code="320500")  # moved to 苏州
    changsha_org.save(update_fields=["region"])
    url = reverse("wagtailsnippets_projects_pairing:list")

    cross = admin.get(url, {"cross_province": "true"}).content.decode()
    local = admin.get(url, {"cross_province": "false"}).content.decode()

    assert "长沙市阳光社工服务中心" in cross
    assert "苏州市慈善基金会" in cross
    assert "长沙市阳光社工服务中心" not in local
    assert headline()["cross_province"] == 2
    assert pairing_province_differences() == []


@pytest.mark.usefixtures("demo_rows")
def test_the_demo_seeds_store_the_flags():
    assert Pairing.objects.count() > 0
    assert pairing_province_differences() == []
    assert headline()["cross_province"] == (
        Pairing.objects.cross_province_recomputed().count()
    )
