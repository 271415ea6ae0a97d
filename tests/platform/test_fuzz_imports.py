"""Fuzzing every spreadsheet import (`core.imports.importers()`) with malformed files.

Properties, for every importer and every generated file:
  - the import never raises (the upload screen never answers 500);
  - a refused file leaves every table of the database as it was, and the job lists
    errors a person can read: non-empty, no Python internals, in the user's language
    (Chinese by default, English under `translation.override("en")`), each row-level
    error naming its row and a column of the importer;
  - a file that is accepted wrote exactly one record per data row (only in the
    "mixed" test, whose rows may be valid).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import roles
from core.imports import import_job_run, importers
from core.models import ImportJob, Region
from core.tasks import import_job_confirm_run
from incubator.choices import RegistrationStatus
from incubator.models import Inspector, SpotCheckCampaign
from incubator.services.inspections import inspection_campaign_open
from incubator.services.spotchecks import spotcheck_campaign_draw
from tests.support.fuzz_strategies import (
    FORMULAS,
    ODD_DATES,
    assert_clear,
    bad_header_file,
    broken_file,
    csv_bytes,
    db_changes,
    db_counts,
    examples,
    odd_cell,
    odd_text,
    rolled_back,
    table_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rollups_verified(db):
    """After each fuzz test, `verify_rollups` finds every stored outcome total
    equal to what the outcome lines give (it exits 1 otherwise)."""
    yield
    call_command("verify_rollups", stdout=io.StringIO())


LANGUAGES = st.sampled_from(["zh-hans", "en"])
IMPOSSIBLE_DATES = [d for d in ODD_DATES if d]  # never a date the parser accepts


def test_every_importer_is_fuzzed():
    """A new importer must get a row template here before it ships."""
    assert set(importers()) == set(TEMPLATES)


@pytest.mark.parametrize(
    "kind",
    [
        "organizations",
        "residencies",
        "outcome_reports",
        "outcome_reports_approved",
        "pairings",
        "projects",
        "awards",
        "purchases",
        "inspections",
        "spotcheck_results",
    ],
)
def test_the_row_templates_are_valid(kind, world):
    """The fuzzed rows start from a valid row: check that it is one."""
    rows = [_row(kind, TEMPLATES[kind]["valid"](world, 0))]
    content = csv_bytes(rows, _headers(kind))
    job = _run_job(kind, world[kind], "导入.csv", content, "zh-hans")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors


# --- the world the rows refer to -------------------------------------------------------


@pytest.fixture
def world(
    make_user, make_organization, make_base, service_fields, region, make_project
):
    from projects.demo import indicators_ensure

    indicators_ensure()
    operator = make_user("fuzz_operator", roles.OPERATOR)
    coordinator = make_user("fuzz_coordinator", roles.COORDINATOR)
    manager = make_user("fuzz_fund_manager", roles.FUND_MANAGER)
    base = make_base("雨花区社会组织孵化基地", operators=[operator])
    org = make_organization(name="雨花区阳光社工服务中心")
    gone = make_organization(
        name="已注销的社工服务中心",
        registration_status=RegistrationStatus.DEREGISTERED,
    )
    project = make_project(title="安化黑茶消费帮扶行动")
    project.pairing.coordinators.set([coordinator])
    counties = Region.objects.filter(level=Region.Level.COUNTY).exclude(
        pk=project.pairing.county_id
    )
    # supervision: last year's open annual-inspection campaign (the organization is
    # due) and a spot-check campaign that drew every organization in its scope
    registrar = make_user("fuzz_registrar", roles.REGISTRAR)
    year = datetime.date.today().year - 1
    inspection_campaign_open(year=year, user=registrar)
    for name in ("检查员甲", "检查员乙"):
        Inspector.objects.create(name=name, unit="湖南省民政厅")
    spot_campaign = SpotCheckCampaign.objects.create(
        name="雨花区双随机抽查",
        year=year + 1,
        scope_levels=[org.registration_level],
        base_rate=Decimal("100"),
        risk_rate=Decimal("100"),
    )
    spotcheck_campaign_draw(campaign=spot_campaign, user=registrar)
    return {
        "inspections": registrar,
        "spotcheck_results": registrar,
        "inspection_year": year,
        "spot_campaign": spot_campaign,
        "organizations": operator,
        "residencies": operator,
        "outcome_reports": coordinator,
        "awards": manager,
        "purchases": manager,
        "outcome_reports_approved": coordinator,
        "pairings": coordinator,
        "projects": coordinator,
        "counties": [c.code for c in counties.order_by("code")[:4]],
        "org": org,
        "gone": gone,
        "base": base,
        "project": project,
        "region": region,
    }


# Per importer: one valid row (by column key) and cells that are always wrong.
TEMPLATES = {
    "organizations": {
        "valid": lambda w, n: {
            "name": f"长沙市第{n}社会工作服务中心",
            "filing_number": f"长雨民备字第{n}号",
            "org_type": "社区社会组织",
            "registration_level": "县级",
            "region_code": "430111",
            "founded_on": "2019-05-01",
            "service_fields": "养老、儿童",
            "legal_representative": "张三",
            "contact_phone": "0731-12345678",
            "contact_email": "a@example.org",
        },
        "always_wrong": lambda w: {
            "uscc": st.sampled_from(
                [w["org"].uscc, "12345678901234567X", "91110000MA00000000", "ABC"]
            ),
            "org_type": odd_text.map(lambda t: "X" + t),
            "registration_level": st.sampled_from(["乡级", "5", "national!"]),
            "region_code": st.sampled_from(["999999", "43011", "abc", "４３０１１１"]),
            "founded_on": st.sampled_from(IMPOSSIBLE_DATES),
            "service_fields": st.sampled_from(["星际旅行", "养老、不存在"]),
            "rating": st.sampled_from(["6A", "AAAAAA", "0"]),
            "contact_email": st.sampled_from(["not-an-email", "@", "a@"]),
            "name": st.sampled_from(["", "长" * 300]),
        },
    },
    "residencies": {
        "valid": lambda w, n: {
            "organization": w["org"].name,
            "base": w["base"].name,
            "stage": "已申请",
            "applied_on": "2023-03-01",
            "mentors": "李老师",
            "workspace": "A-101",
        },
        "always_wrong": lambda w: {
            "organization": st.sampled_from(["不存在的机构", w["gone"].name]),
            "uscc": st.sampled_from(["12345678901234567X", "nope"]),
            "base": st.sampled_from(["别人的基地", "", w["base"].name + "X"]),
            "stage": st.sampled_from(["出壳", "graduated", "孵化", "X"]),
            "applied_on": st.sampled_from([*IMPOSSIBLE_DATES, "2999-01-01"]),
            "workspace": st.just("工" * 101),
        },
    },
    "outcome_reports": {
        "valid": lambda w, n: {
            "project": w["project"].title,
            "year": "2024",
            "period_type": "半年",
            "number": str(1 + n % 2),
            "indicator": "受益人数",
            "target": "800",
            "actual": "950",
        },
        "always_wrong": lambda w: {
            "project": st.sampled_from(["别人的项目", "", w["project"].title + "X"]),
            "year": st.sampled_from(["二〇二四", "2024.5", "abc", "", "1e999", "0"]),
            "period_type": st.sampled_from(["每天", "X", ""]),
            "number": st.sampled_from(["0", "9", "-1"]),
            "indicator": st.sampled_from(["不存在的指标", "", "jobs!"]),
            "actual": st.sampled_from(["1e30", "0.001", "-5"]),
            "note": st.just("注" * 201),
        },
    },
    "inspections": {
        "valid": lambda w, n: {
            "uscc": w["org"].uscc,
            "organization": w["org"].name,
            "year": str(w["inspection_year"]),
            "submitted": "是",
            "result": "合格",
            "submitted_on": f"{w['inspection_year']}-05-{n % 28 + 1:02d}",
        },
        "always_wrong": lambda w: {
            "uscc": st.sampled_from(["12345678901234567X", "nope", ""]),
            "year": st.sampled_from(["二〇二三", "1800", "2999", "abc", "1e999"]),
            "result": st.sampled_from(["优秀!", "X", "不存在的结果"]),
            "submitted_on": st.sampled_from(IMPOSSIBLE_DATES),
        },
    },
    "spotcheck_results": {
        "valid": lambda w, n: {
            "campaign": w["spot_campaign"].name,
            "uscc": w["org"].uscc,
            "result": "合格",
            "checked_on": f"{w['spot_campaign'].year}-01-{n % 28 + 1:02d}",
        },
        "always_wrong": lambda w: {
            "campaign": st.sampled_from(["", "不存在的抽查", "抽" * 300]),
            "uscc": st.sampled_from(["12345678901234567X", "nope", ""]),
            "result": st.sampled_from(["", "优秀!", "X"]),
            "checked_on": st.sampled_from([*IMPOSSIBLE_DATES, "2999-01-01"]),
        },
    },
    "awards": {
        "valid": lambda w, n: {
            "uscc": w["org"].uscc,
            "fund": "湖南省福彩公益金",
            "year": "2023",
            "title": f"历史资助项目{n}",
            "amount": "100,000",
            "awarded_on": "2023-05-20",
            "paid_amount": "60000",
            "paid_on": "2023-06-10",
        },
        "always_wrong": lambda w: {
            "uscc": st.sampled_from(["12345678901234567X", "nope", ""]),
            "fund": st.sampled_from(["", "资" * 201]),
            "year": st.sampled_from(["二〇二三", "1800", "2999", "abc", "1e999"]),
            "title": st.sampled_from(["", "项" * 201]),
            "amount": st.sampled_from(["十万", "-5", "0", "1e999", ""]),
            "awarded_on": st.sampled_from([*IMPOSSIBLE_DATES, "2999-01-01", ""]),
            "paid_amount": st.sampled_from(["999999999", "-1", "abc"]),
            "paid_on": st.sampled_from([*IMPOSSIBLE_DATES, "2023-01-01"]),
        },
    },
    "purchases": {
        "valid": lambda w, n: {
            "purchasing_department": "长沙市民政局",
            "service_category": "基本公共服务",
            "procurement_method": "公开招标",
            "contract_amount": "300000",
            "supplier_uscc": w["org"].uscc,
            "starts_on": f"2023-01-{n + 1:02d}",
            "ends_on": "2023-12-31",
            "score": "92",
        },
        "always_wrong": lambda w: {
            "purchasing_department": st.sampled_from(["", "部" * 201]),
            "service_category": st.sampled_from(["星际服务", "X", ""]),
            "procurement_method": st.sampled_from(["拍卖", ""]),
            "contract_amount": st.sampled_from(["三十万", "-1", "0", "1e999"]),
            "supplier_uscc": st.sampled_from(["12345678901234567X", ""]),
            "starts_on": st.sampled_from([*IMPOSSIBLE_DATES, ""]),
            "ends_on": st.sampled_from(["2022-01-01", *IMPOSSIBLE_DATES]),
            "score": st.sampled_from(["120", "-1", "abc"]),
        },
    },
    "outcome_reports_approved": {
        "valid": lambda w, n: {
            "project": w["project"].title,
            "year": "2023",
            "period_type": "半年",
            "number": str(1 + n % 2),
            "indicator": "受益人数",
            "actual": "950",
        },
        "always_wrong": lambda w: {
            "project": st.sampled_from(["别人的项目", "", w["project"].title + "X"]),
            "year": st.sampled_from(
                ["2100", "二〇二四", "abc", "", "1e999", "0", "99999"]
            ),
            "period_type": st.sampled_from(["每天", "X", ""]),
            "number": st.sampled_from(["0", "9"]),
            "indicator": st.sampled_from(["不存在的指标", "", "jobs!"]),
            "actual": st.sampled_from(["1e30", "0.001"]),
        },
    },
    "pairings": {
        "valid": lambda w, n: {
            "uscc": w["org"].uscc,
            "region_code": w["counties"][n],
            "start_date": "2023-01-05",
        },
        "always_wrong": lambda w: {
            "uscc": st.sampled_from(["12345678901234567X", "nope", ""]),
            "region_code": st.sampled_from(["999999", "abc", "43011", ""]),
            "start_date": st.sampled_from(IMPOSSIBLE_DATES),
            "alliance": st.just("团" * 201),
        },
    },
    "projects": {
        "valid": lambda w, n: {
            "title": f"帮扶项目{n}",
            "uscc": w["project"].pairing.organization.uscc,
            "region_code": w["project"].pairing.county.code,
            "category": "产业",
            "start_date": "2023-01-01",
            "end_date": "2023-12-31",
            "budget": "10,000",
            "funding_source": "自筹",
        },
        "always_wrong": lambda w: {
            "title": st.sampled_from(["", "长" * 300]),
            "uscc": st.sampled_from(["12345678901234567X", "nope", ""]),
            "region_code": st.sampled_from(["999999", "abc", ""]),
            "category": st.sampled_from(["修路", "X", ""]),
            "start_date": st.sampled_from(IMPOSSIBLE_DATES),
            "budget": st.sampled_from(["十万", "abc", "-1"]),
            "funding_source": st.just("源" * 201),
        },
    },
}


def _columns(kind):
    return importers()[kind]().columns


def _headers(kind, language="zh-hans"):
    with translation.override(language):
        return [str(c.label) for c in _columns(kind)]


def _required(kind):
    return [str(c.label) for c in _columns(kind) if c.required]


def _row(kind, cells):
    return [cells.get(c.key, "") for c in _columns(kind)]


@st.composite
def rows_for(draw, kind, world, always_wrong):
    """1-4 data rows from the valid template with odd cells mixed in; with
    `always_wrong`, at least one cell of one row is one no import may accept."""
    template = TEMPLATES[kind]
    keys = [c.key for c in _columns(kind)]
    count = draw(st.integers(1, 4))
    rows = [dict(template["valid"](world, n)) for n in range(count)]
    for row in rows:
        for key in draw(st.sets(st.sampled_from(keys), max_size=3)):
            row[key] = draw(odd_cell)
    if always_wrong:
        wrong = template["always_wrong"](world)
        key = draw(st.sampled_from(sorted(wrong)))
        rows[draw(st.integers(0, count - 1))][key] = draw(wrong[key])
    if draw(st.booleans()) and count > 1:
        rows.append(dict(rows[0]))  # a duplicate row within the file
    return [_row(kind, row) for row in rows]


@st.composite
def file_for(draw, kind, world, always_wrong):
    """(rows, (name, bytes)): the rows in a file with Chinese or English headers."""
    rows = draw(rows_for(kind, world, always_wrong))
    headers = _headers(kind, draw(st.sampled_from(["zh-hans", "en"])))
    return rows, draw(table_file(headers, rows))


# --- running one file ----------------------------------------------------------------


def _run_job(kind, user, name, data, language):
    job = ImportJob.objects.create(
        kind=kind,
        file=ContentFile(data, name=name),
        original_name=name,
        created_by=user,
    )
    job = import_job_run(job, language)
    if job.status == ImportJob.Status.AWAITING:
        # A file that creates more than its rows (a fund, a call) waits for the
        # officer's confirmation: confirm it, as the officer would.
        job = import_job_confirm_run(job, user=user, language=language)
    return job


def _known_values(rows, world):
    """Text the user put in the file or gave to records: stripped from messages
    before they are checked for language and leaks."""
    known = [cell for row in rows for cell in row]
    known += [str(world[k]) for k in ("org", "gone", "base", "project", "region")]
    return known


def _check_refused(kind, job, rows, world, language, before):
    assert job.status == ImportJob.Status.FAILED, job.errors
    assert job.errors, "a refused file must say why"
    importer = importers()[kind]()
    with translation.override(language):
        labels = {str(c.label) for c in importer.columns}
    for error in job.errors:
        assert_clear(error["message"], _known_values(rows, world), language)
        if error["row"] is not None:
            assert error["row"] >= 2, error
            assert error["column"] in labels, error
    after = db_counts(skip={"core.importjob"})
    assert db_changes(before, after) == {}


def _check_any(kind, job, rows, world, language, before):
    if job.status == ImportJob.Status.SUCCEEDED:
        # importers that only update (annual-inspection and spot-check results
        # fill in rows their campaign made) write no new record
        assert job.created_count + job.updated_count > 0 and not job.errors
        assert db_counts(skip={"core.importjob"}) != before
        return
    _check_refused(kind, job, rows, world, language, before)


def _import_and_check(check, kind, world, name, data, language, rows):
    """Run one file through an import job, inside a transaction rolled back after
    `check` has compared the database with what it held before."""
    with rolled_back():
        before = db_counts(skip={"core.importjob"})
        job = _run_job(kind, world[kind], name, data, language)
        check(kind, job, rows, world, language, before)


KINDS = sorted(TEMPLATES)


@pytest.mark.parametrize("kind", KINDS)
def test_broken_files_are_refused_with_a_clear_message(kind, world):
    @settings(max_examples=examples(25))
    @given(file=broken_file(_headers(kind)), language=LANGUAGES)
    @example(file=("导入.xlsx", b""), language="zh-hans")
    @example(file=("导入.csv", b"\xff\xfe\x00\x00garbage"), language="en")
    def check(file, language):
        name, data = file
        _import_and_check(_check_refused, kind, world, name, data, language, [])

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_headers_are_refused_with_a_clear_message(kind, world):
    @settings(max_examples=examples(20))
    @given(file=bad_header_file(_headers(kind), _required(kind)), language=LANGUAGES)
    def check(file, language):
        name, data, headers = file
        # The message may quote the headers: they are the user's own text.
        typed = [*headers, *(h.replace("\x00", "") for h in headers)]
        _import_and_check(_check_refused, kind, world, name, data, language, [typed])

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_bad_rows_are_refused_and_nothing_is_written(kind, world):
    @settings(max_examples=examples(30))
    @given(data=st.data(), language=LANGUAGES)
    def check(data, language):
        rows, (name, content) = data.draw(file_for(kind, world, always_wrong=True))
        _import_and_check(_check_refused, kind, world, name, content, language, rows)

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_odd_rows_are_written_whole_or_refused_clearly(kind, world):
    """Rows that may be valid: all of them are written, or none with clear errors."""

    @settings(max_examples=examples(30))
    @given(data=st.data(), language=LANGUAGES)
    def check(data, language):
        rows, (name, content) = data.draw(file_for(kind, world, always_wrong=False))
        _import_and_check(_check_any, kind, world, name, content, language, rows)

    check()


IMPORT_URLS = {
    "organizations": "incubator_organization_import",
    "residencies": "incubator_residency_import",
    "outcome_reports": "projects_report_import",
    "awards": "funding_award_import",
    "purchases": "funding_purchase_import",
    "outcome_reports_approved": "projects_report_import",
    "pairings": "projects_pairing_import",
    "projects": "projects_project_import",
    "inspections": "incubator_inspection_import",
    "spotcheck_results": "incubator_spotcheck_result_import",
}
# What else the upload form posts for a kind (the “import as approved” box).
IMPORT_FORM_EXTRA = {"outcome_reports_approved": {"approve": "on"}}


@pytest.mark.parametrize("kind", KINDS)
def test_the_upload_screen_never_fails(kind, world):
    """The same files through the admin upload screen: never a 500, the job page
    shows the errors, nothing written."""
    from django.test import Client

    client = Client()
    client.force_login(world[kind])
    url = reverse(IMPORT_URLS[kind])

    @settings(max_examples=examples(8))
    @given(data=st.data())
    def check(data):
        rows, (name, content) = data.draw(
            st.one_of(
                file_for(kind, world, always_wrong=True),
                broken_file(_headers(kind)).map(lambda file: ([], file)),
            )
        )
        with rolled_back():
            before = db_counts(skip={"core.importjob"})
            response = client.post(
                url,
                {
                    "file": ContentFile(content, name=name),
                    **IMPORT_FORM_EXTRA.get(kind, {}),
                },
                follow=True,
            )
            assert response.status_code == 200
            page = response.content.decode()
            job = ImportJob.objects.order_by("-pk").first()
            if job is None:  # refused by the upload form itself
                assert "error" in page
            else:
                _check_refused(kind, job, rows, world, "zh-hans", before)
                assert "未写入任何数据" in page or "失败" in page
            assert db_changes(before, db_counts(skip={"core.importjob"})) == {}

    check()


@pytest.mark.parametrize(
    "cells",
    [{"organization": "gone"}, {"workspace": "工" * 101}],
    ids=["deregistered", "overlong-workspace"],
)
def test_rows_the_admission_refuses_are_refused_at_validation(world, cells):
    """Found by fuzzing: these rows passed validation and the admission service
    refused them only while writing — a 500 on the upload screen."""
    cells = {**TEMPLATES["residencies"]["valid"](world, 0), **cells}
    if cells["organization"] == "gone":
        cells["organization"] = world["gone"].name
    rows = [_row("residencies", cells)]
    content = csv_bytes(rows, _headers("residencies"))
    before = db_counts(skip={"core.importjob"})
    job = _run_job("residencies", world["residencies"], "导入.csv", content, "zh-hans")
    _check_refused("residencies", job, rows, world, "zh-hans", before)
    assert job.errors[0]["row"] == 2


# --- exports: a formula typed into a name never runs in Excel -----------------------


@settings(max_examples=examples(10))
@given(text=st.one_of(st.sampled_from(FORMULAS), odd_text))
def test_exported_text_never_becomes_a_formula(text):
    """Found while fuzzing: pandas wrote “=cmd|…” titles as live formulas into the
    ranking, review and roll-up exports (CSV/Excel formula injection)."""
    import io

    import pandas as pd
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from core.spreadsheets import frame_to_xlsx

    data = frame_to_xlsx(pd.DataFrame([[text, 1.5]], columns=["名称", "金额"]))
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type != "f"
    expected = ILLEGAL_CHARACTERS_RE.sub("", text)
    assert cell.value == (expected or None)


def test_the_funding_exports_keep_a_formula_as_text():
    """The ranking, review and purchase exports all write through `_workbook`."""
    import io

    from openpyxl import load_workbook

    from funding.views.exports import _workbook

    data = _workbook([["=cmd|' /C calc'!A0", 1.5]], ["项目名称", "金额"])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert (cell.value, cell.data_type) == ("=cmd|' /C calc'!A0", "s")
