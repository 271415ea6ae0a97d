"""The stored cross-province flag of a pairing (跨省协作): set when the pairing is
saved or imported, following its organization to another region, counted by the
headline without reading the organizations, and checked by `verify_rollups`."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.models import Region
from projects.models import Pairing
from projects.selectors.rollup_totals import pairing_province_differences
from projects.selectors.rollups import headline
from tests.projects.test_pairing_import import write

pytestmark = pytest.mark.django_db


def test_the_flag_is_stored_and_follows_the_organization(
    make_pairing, make_organization, suzhou_org, shaanxi_county, hunan_county
):
    make_pairing(suzhou_org, shaanxi_county)  # 江苏 → 陕西
    make_pairing(suzhou_org, hunan_county)  # 江苏 → 湖南
    make_pairing(make_organization(name="长沙市阳光社工服务中心"), hunan_county)
    assert sorted(Pairing.objects.values_list("county__code", "crosses_provinces")) == [
        ("433127", False),
        ("433127", True),
        ("610924", True),
    ]
    assert headline()["cross_province"] == 2

    # the foundation moves to Yongshun (湖南): its Hunan pairing is now local
    suzhou_org.region = Region.objects.get(code="433127")
    suzhou_org.save()
    assert sorted(
        Pairing.objects.filter(organization=suzhou_org).values_list(
            "county__code", "crosses_provinces"
        )
    ) == [("433127", False), ("610924", True)]
    assert headline()["cross_province"] == 1
    assert pairing_province_differences() == []


def test_imported_pairings_carry_the_flag(tmp_path, suzhou_org, make_organization):
    local = make_organization(name="长沙市阳光社工服务中心")
    path = write(
        tmp_path,
        [[suzhou_org.uscc, "610924", "", ""], [local.uscc, "433127", "", ""]],
    )

    call_command("import_pairings", str(path), stdout=io.StringIO())

    assert sorted(
        Pairing.objects.values_list("organization__name", "crosses_provinces")
    ) == [("苏州市慈善基金会", True), ("长沙市阳光社工服务中心", False)]
    assert pairing_province_differences() == []


def test_verify_rollups_reports_a_flag_made_wrong_on_purpose(
    make_pairing, suzhou_org, shaanxi_county
):
    pairing = make_pairing(suzhou_org, shaanxi_county)
    Pairing.objects.filter(pk=pairing.pk).update(crosses_provinces=False)
    assert headline()["cross_province"] == 0
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_rollups", stdout=out)
    assert (
        f"不一致：结对 {pairing.pk} 存储为省内结对，按所在地区应为跨省协作"
        in out.getvalue()
    )

    from projects.services.pairings import pairings_provinces_refresh

    assert pairings_provinces_refresh() == 1
    call_command("verify_rollups", stdout=io.StringIO())
    assert headline()["cross_province"] == 1
