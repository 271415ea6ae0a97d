"""Regions, roles, translations and demo data (the production profile:
tests/platform/test_production_settings.py)."""

import gettext
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from stdnum.cn import uscc

from core import roles
from core.models import Region
from incubator.models import Organization

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_regions_are_loaded_with_levels_and_parents():
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 33
    assert Region.objects.filter(level=Region.Level.COUNTY).count() > 2800
    yongshun = Region.objects.get(code="433127")
    assert yongshun.full_name == "湖南省湘西土家族苗族自治州永顺县"
    assert yongshun.is_key_county
    assert yongshun.parent.level == Region.Level.CITY
    # Municipalities have their districts directly under the province.
    assert Region.objects.get(code="110101").parent.code == "110000"
    assert not Region.objects.get(code="430111").is_key_county


@pytest.mark.django_db
def test_loading_regions_again_changes_nothing(capsys):
    call_command("load_regions")
    assert "0 created, 0 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_each_role_is_a_group_with_its_permissions():
    def perms(role):
        group = Group.objects.get(name=roles.GROUP_NAMES[role])
        return {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }

    assert {"wagtailadmin.access_admin", "incubator.change_organization"} <= perms(
        roles.OPERATOR
    )
    assert "incubator.delete_organization" not in perms(roles.OPERATOR)
    assert "incubator.change_organization" not in perms(roles.FUND_MANAGER)
    assert "incubator.view_organization" not in perms(roles.REVIEWER)
    assert "incubator.delete_organization" in perms(roles.ADMINISTRATOR)


def _po_files(language):
    return sorted(ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"))


def test_every_string_has_a_chinese_translation():
    files = _po_files("zh_Hans")
    assert files
    missing = [
        f"{path.relative_to(ROOT)}: {entry.msgid}"
        for path in files
        for entry in polib.pofile(str(path))
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert missing == []


def test_no_translation_is_a_guess_left_by_msgmerge():
    """makemessages fills new strings with fuzzy guesses from similar ones ("#| msgid");
    a guess whose flag was removed without checking shows a wrong text."""
    guesses = [
        f"{path.relative_to(ROOT)}: {entry.msgid}"
        for path in _po_files("zh_Hans")
        for entry in polib.pofile(str(path))
        if entry.previous_msgid or "fuzzy" in entry.flags
    ]
    assert guesses == []


def test_compiled_catalogues_match_the_po_files():
    for path in _po_files("zh_Hans"):
        with open(path.with_suffix(".mo"), "rb") as mo:
            catalogue = gettext.GNUTranslations(mo)
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural or entry.obsolete or not entry.msgstr:
                continue
            if entry.msgctxt:
                text = catalogue.pgettext(entry.msgctxt, entry.msgid)
            else:
                text = catalogue.gettext(entry.msgid)
            assert text == entry.msgstr, (path, entry.msgid)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_rows")
def test_demo_data_is_idempotent_and_valid(capsys):
    """The demo as `seed_demo` left it (the process's copy), then seeded again:
    nothing more, and the logins printed."""
    counts = Organization.objects.count()
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Organization.objects.count() == counts >= 25
    for username in ("admin", "operator", "fund", "reviewer", "coordinator", "editor"):
        assert username in out
    codes = Organization.objects.exclude(uscc=None).values_list("uscc", flat=True)
    assert all(uscc.is_valid(code) for code in codes)
    assert Organization.objects.filter(uscc=None).exclude(filing_number="").exists()
    assert Organization.objects.filter(service_fields__name="乡村振兴").exists()
    # the demo's past work told people things; none of it is left unread
    from core.models import Notification

    assert Notification.objects.exists()
    assert not Notification.objects.filter(read_at=None).exists()


def test_one_text_has_one_translation_across_apps():
    """Django merges every app's catalogue: the same msgid translated two ways in two
    apps shows one app's text in the other. Such strings need a context (pgettext)."""
    seen = {}
    clashes = []
    for path in _po_files("zh_Hans"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][1] != entry.msgstr:
                clashes.append(
                    f"{entry.msgid}: {seen[key]} vs {path.parent.parent.parent.parent.name} {entry.msgstr}"
                )
            seen.setdefault(key, (path.parent.parent.parent.parent.name, entry.msgstr))
    assert clashes == []
