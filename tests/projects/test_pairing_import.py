"""Importing pairings (结对帮扶) from a province's spreadsheet: the command, the
admin upload, all or nothing, and the bad-row set."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.models import Alliance, Pairing
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "结对地区代码", "合力团", "开始日期"]


def write(tmp_path, rows, headers=HEADERS):
    path = tmp_path / "pairings.xlsx"
    path.write_bytes(xlsx_bytes(rows, headers=headers))
    return path


@pytest.fixture
def orgs(make_organization):
    return make_organization(name="长沙市阳光社工服务中心"), make_organization(
        name="湖南省乡村发展基金会"
    )


def test_command_imports_pairings_with_alliance_and_unknown_start(
    tmp_path, orgs, capsys
):
    first, second = orgs
    path = write(
        tmp_path,
        [
            [first.uscc, "433127", "永顺县合力团", "2023年3月1日"],
            [second.uscc, "433127", "永顺县合力团", ""],
            [second.uscc, "610924", "", "2024/1/5"],
        ],
    )

    call_command("import_pairings", str(path))

    assert "已导入 3 个结对" in capsys.readouterr().out
    yongshun = Pairing.objects.filter(county__code="433127").order_by("pk")
    assert [(p.organization, p.start_date) for p in yongshun] == [
        (first, datetime.date(2023, 3, 1)),
        (second, None),
    ]
    alliance = Alliance.objects.get()
    assert (alliance.name, alliance.county.code) == ("永顺县合力团", "433127")
    assert {p.alliance for p in yongshun} == {alliance}
    ziyang = Pairing.objects.get(county__code="610924")
    assert (ziyang.start_date, ziyang.alliance) == (datetime.date(2024, 1, 5), None)
    assert ziyang.history.get().history_type == "+"


def test_dry_run_writes_nothing(tmp_path, orgs, capsys):
    path = write(tmp_path, [[orgs[0].uscc, "433127", "", ""]])
    call_command("import_pairings", str(path), "--dry-run")
    assert "1 行全部有效" in capsys.readouterr().out
    assert not Pairing.objects.exists()


def test_bad_rows_are_each_reported_and_nothing_is_written(
    tmp_path, orgs, make_pairing, capsys
):
    first, second = orgs
    make_pairing(organization=second)  # already paired with 永顺县 433127
    path = write(
        tmp_path,
        [
            [first.uscc, "433127", "", "2023-01-05"],  # row 2: good
            ["91430100MA4L000000", "433127", "", ""],  # unknown organization
            [first.uscc, "439999", "", ""],  # unknown code
            [first.uscc, "430100", "", ""],  # a city, not a county
            [first.uscc, "433127", "", ""],  # duplicate of row 2
            [first.uscc, "610924", "", "2023-02-30"],  # not a real date
            ["", "610924", "", ""],  # empty required cell
            [first.uscc, "610924", "", "明年"],  # not a date
        ],
    )

    with pytest.raises(CommandError, match="7"):
        call_command("import_pairings", str(path), "--language", "en")

    assert capsys.readouterr().err.strip().splitlines() == [
        "row 3, column unified social credit code: No organization with the code "
        "“91430100MA4L000000” is registered: import or add it first.",
        "row 4, column pairing region code: “439999” is not the code of a county or "
        "of a recorded village.",
        "row 5, column pairing region code: “430100” is 长沙市, a Prefecture: write the "
        "code of a county or of a village.",
        "row 6, column unified social credit code: The same pairing is already in "
        "row 2 of this file.",
        "row 7, column start date: “2023-02-30” is not a real date.",
        "row 8, column unified social credit code: This cell is required.",
        "row 9, column start date: “明年” is not a date; write it as 2024-03-31.",
    ]
    assert Pairing.objects.count() == 1


def test_a_recorded_pairing_is_refused_without_update(
    tmp_path, orgs, make_pairing, capsys
):
    """Without --update a row naming a stored pairing is an error of its row, and
    nothing of the file is written (its new row included)."""
    first, second = orgs
    make_pairing(organization=second)  # already paired with 永顺县 433127
    path = write(
        tmp_path,
        [[first.uscc, "433127", "", ""], [second.uscc, "433127", "", "2024-01-01"]],
    )
    with pytest.raises(CommandError, match="1"):
        call_command("import_pairings", str(path))
    assert capsys.readouterr().err.strip() == (
        "第 3 行，“统一社会信用代码”列：该社会组织已与此地结对；如需修改该结对，请以更新方式导入。"
    )
    assert Pairing.objects.count() == 1


def test_alliance_of_another_county_is_refused(tmp_path, orgs, shaanxi_county, capsys):
    Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    path = write(tmp_path, [[orgs[0].uscc, "433127", "紫阳县合力团", ""]])
    with pytest.raises(CommandError):
        call_command("import_pairings", str(path))
    assert capsys.readouterr().err.strip() == (
        "第 2 行，“合力团”列：合力团“紫阳县合力团”帮扶的是陕西省安康市紫阳县，不是此县。"
    )
    assert not Pairing.objects.exists()


def test_coordinator_uploads_and_coordinates_the_pairings(client_for, orgs):
    client = client_for(roles.COORDINATOR)
    listing = client.get(reverse("wagtailsnippets_projects_pairing:list"))
    assert reverse("projects_pairing_import") in listing.content.decode()

    data = xlsx_bytes([[orgs[0].uscc, "433127", "", ""]], headers=HEADERS)
    response = client.post(
        reverse("projects_pairing_import"), {"file": upload("p.xlsx", data)}
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    pairing = Pairing.objects.get()
    assert list(pairing.coordinators.all()) == [client.user]
    assert pairing.history.earliest("history_id").history_user == client.user
    # The unknown start date reads “未知” in the listing.
    listing = client.get(reverse("wagtailsnippets_projects_pairing:list"))
    assert "未知" in listing.content.decode()


def test_template_has_the_officers_headers(client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(roles.COORDINATOR)
    response = client.get(reverse("projects_pairing_import") + "?template=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADERS


def test_fund_manager_may_not_import_pairings(client_for):
    client = client_for(roles.FUND_MANAGER)
    response = client.get(reverse("projects_pairing_import"))
    # Wagtail answers a refused admin screen by sending back to the dashboard.
    assert (response.status_code, response.url) == (302, "/admin/")


def test_a_code_typed_with_spaces_hyphens_or_full_width_digits_is_found(
    tmp_path, orgs, capsys
):
    first, second = orgs
    spaced = f"{first.uscc[:4]} {first.uscc[4:8]}-{first.uscc[8:].lower()}"
    full_width = second.uscc.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    path = write(
        tmp_path,
        [[spaced, "433127", "", "2023-03-01"], [full_width, "610924", "", ""]],
    )

    call_command("import_pairings", str(path))

    assert "已导入 2 个结对" in capsys.readouterr().out
    assert list(
        Pairing.objects.order_by("county__code").values_list(
            "organization__uscc", "county__code"
        )
    ) == [(first.uscc, "433127"), (second.uscc, "610924")]
