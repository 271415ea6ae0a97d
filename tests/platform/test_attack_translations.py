"""The compiled catalogs (.mo) the server reads must hold every translation of
their .po: a .po merged without recompiling (a binary .mo taken from one side of a
merge) leaves the screens in English although the .po is complete."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

APPS = ("core", "incubator", "funding", "projects", "cms")


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalog_holds_every_translation_of_the_po(app):
    folder = Path(settings.BASE_DIR) / app / "locale" / "zh_Hans" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        if entry.msgctxt:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        if got != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], f"{app}: {len(stale)} not compiled, e.g. {stale[:3]}"
