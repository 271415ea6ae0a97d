"""The hand-built admin screens draw every input through Wagtail's field component.

A bare `<input>`, `<select>` or `<textarea>` written into a template has none of the
admin's border, label, help or error styling: on the award desk 异议人, 异议内容, 金额,
备注, 项目简介 and 终止原因 were a label followed by blank space. Every template of
the apps is scanned; an input is allowed only when hidden (the action, the row's
id, the CSRF token, the confirmation token), or when the template is listed below
with the reason it is not an admin form. In Chromium, the fund manager's award desk
shows those six inputs inside Wagtail's field, with a border, and every button
inside the window at 1280 px and at 390 px.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.cms.test_public_site_browser import ARTIFACTS, browser  # noqa: F401
from tests.fixtures.users import PASSWORD
from tests.support.browser import settle

ROOT = Path(settings.BASE_DIR)
APPS = ("core", "funding", "incubator", "projects", "cms")

#: Templates outside Wagtail's admin, each with the reason its inputs are its own.
NOT_ADMIN = {
    "cms/templates/cms/": "the public site, styled by its own stylesheet, not the admin",
}

TAG = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE | re.DOTALL)
HIDDEN = re.compile(r"""\btype\s*=\s*["']?hidden\b""", re.IGNORECASE)


def bare_inputs(text):
    """The `<input>`, `<select>` and `<textarea>` tags written into a template's
    text, hidden inputs left out: [(line number, tag)]."""
    found = []
    for match in TAG.finditer(text):
        if match.group(1).lower() == "input" and HIDDEN.search(match.group(2)):
            continue
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, match.group(0)[:80]))
    return found


def admin_templates():
    for app in APPS:
        for path in sorted((ROOT / app / "templates").rglob("*.html")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(relative.startswith(prefix) for prefix in NOT_ADMIN):
                yield relative, path


def test_the_scan_finds_what_it_forbids():
    """The scan itself: what the award desk held before, and what it may keep."""
    old_desk = (
        '<form method="post"><input type="hidden" name="action" value="objection">\n'
        '<label>异议人 <input name="objector"></label>\n'
        '<select name="kind"><option value="a">A</option></select>\n'
        '<textarea name="reason" rows="2"></textarea>\n'
        '<input type=\'hidden\' name="pk" value="3"><INPUT type=date name=d>'
    )
    assert [line for line, _tag in bare_inputs(old_desk)] == [2, 3, 4, 5]
    assert (
        bare_inputs(
            '{% csrf_token %}<input type="hidden" name="next" value="/x/">'
            "{% formattedfield form.reason %}"
            '{% include "wagtailadmin/shared/field.html" with field=form.note %}'
        )
        == []
    )


def test_the_scan_covers_the_hand_built_screens():
    scanned = {relative for relative, _path in admin_templates()}
    for screen in (
        "funding/templates/funding/award_desk.html",
        "funding/templates/funding/call_desk.html",
        "funding/templates/funding/assign.html",
        "funding/templates/funding/decide.html",
        "funding/templates/funding/review_score.html",
        "funding/templates/funding/purchase_rollup.html",
        "incubator/templates/incubator/board.html",
        "incubator/templates/incubator/assessment_score.html",
        "incubator/templates/incubator/stage_move.html",
        "projects/templates/projects/rollup.html",
        "projects/templates/projects/report_review.html",
        "core/templates/core/confirm.html",
        "core/templates/core/import_form.html",
    ):
        assert screen in scanned


def test_no_bare_input_in_a_hand_built_admin_template():
    found = {
        relative: tags
        for relative, path in admin_templates()
        if (tags := bare_inputs(path.read_text(encoding="utf-8")))
    }
    assert found == {}, (
        "Draw these through Wagtail's field component "
        "({% formattedfield form.x %} or wagtailadmin/shared/field.html) "
        f"from a Django form: {found}"
    )


#: The award desk's inputs of the report, by their Chinese labels.
DESK_INPUTS = ("异议人", "异议内容", "金额（元）", "备注", "项目简介", "终止原因")

FIELD_LOOK = """(label) => {
  const input = label.htmlFor
    ? document.getElementById(label.htmlFor)
    : label.querySelector("input, select, textarea");
  const style = getComputedStyle(input);
  return {
    tag: input.tagName.toLowerCase(),
    inWagtailField: !!input.closest(".w-field__input"),
    border: parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth)
      + parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth),
  };
}"""


def _buttons_outside(page, width):
    """The visible buttons of the screen's content whose box is not wholly inside
    a window `width` px wide (scrolled to first): [(text, x, right edge)]."""
    outside = []
    buttons = page.locator("main button:visible, main a.button:visible")
    for index in range(buttons.count()):
        button = buttons.nth(index)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            outside.append((button.inner_text(), box["x"], box["x"] + box["width"]))
    return outside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_award_desk_inputs_have_wagtails_field_and_buttons_fit(
    live_server,
    browser,  # noqa: F811
    award_on_notice,
    manager,
):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    shots = ARTIFACTS / "forms"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="zh-CN"
        )
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", manager.username)
        page.fill("#id_password", PASSWORD)
        page.locator('form button[type="submit"]').click()
        page.wait_for_url(live_server.url + "/admin/")
        page.goto(f"{live_server.url}/admin/funding/awards/{award_on_notice.pk}/")
        settle(page)
        page.screenshot(path=shots / f"award-desk-{width}.png", full_page=True)

        looks = {}
        for text in DESK_INPUTS:
            label = page.locator("main label", has_text=text)
            assert label.count() == 1, text
            looks[text] = label.evaluate(FIELD_LOOK)
        assert {
            text: look["inWagtailField"] for text, look in looks.items()
        } == dict.fromkeys(DESK_INPUTS, True)
        assert [text for text, look in looks.items() if look["border"] <= 0] == []
        assert _buttons_outside(page, width) == []
        # nothing runs past the right edge: the page does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
