"""The public site for everyone (GB/T 37668-2019, WCAG 2.1 AA), in headless
Chromium: axe-core finds no violation on any public page type at 1280 px and
390 px; a keyboard walk of the home page reaches every link with a visible
focus; 大字版 enlarges every text and is kept in the browser; the phone menu is a
real button. Screenshots go to test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.cms import test_public_site_browser as shared
from tests.fixtures.cms import story_json
from tests.support.browser import fits

# The Chromium of the public-site browser test, and its content-type cache reset.
browser = shared.browser
_fresh_content_type_cache = shared._fresh_content_type_cache
ARTIFACTS = shared.ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[1] / "support" / "vendor" / "axe.min.js"
#: WCAG 2.0/2.1 A and AA (what GB/T 37668-2019 takes over) and axe's best
#: practices, which hold the heading-order and landmark rules the issue names.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = (1280, 390)


@pytest.fixture
def portal(
    cms_site,
    organization_mix,
    make_showcase,
    make_news,
    notice_with_awards,
    make_call,
    make_project,
    make_story_page,
    manager,
):
    """A portal with a page of every type: news with a described cover, a
    showcase whose story has a described image, a call, a 公示 (made by
    publishing the notice), a project story."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from cms.models import AwardNoticePage
    from cms.services.announcements import call_page_ensure
    from cms.skeleton import site_skeleton_ensure

    pages = {**cms_site, **site_skeleton_ensure()}
    photo = Image.objects.create(
        title="IMG_20240315_0932", file=get_test_image_file(colour="#5b8c6f")
    )
    pages["showcase_page"] = make_showcase(
        organization_mix[3],
        title="同心社会工作服务中心南省分中心",
        graduation_year=2021,
        cover_image=photo,
        cover_alt="社工在社区为老人测量血压",
        story=story_json(photo, "成长故事", "入驻第一年"),
    )
    pages["news_page"] = make_news(
        title="七十家社会组织获得福彩公益金资助",
        cover_image=photo,
        cover_decorative=True,
    )
    pages["call_page"] = call_page_ensure(
        make_call(name="2025年度湖南省福彩公益金项目"), user=manager
    )
    pages["notice_page"] = AwardNoticePage.objects.get(notice=notice_with_awards)
    pages["story_page"] = make_story_page(make_project(title="乡村阅读小屋"))
    return pages


def _context(browser, width):
    return browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN",
        bypass_csp=True,  # axe is injected as an inline script, for the test only
    )


def _axe(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )


def _urls(portal):
    keys = (
        "home",
        "news",
        "news_page",
        "showcase",
        "showcase_page",
        "statistics",
        "notices",
        "calls",
        "call_page",
        "notice_page",
        "story_page",
    )
    return {key: portal[key].url for key in keys} | {"404": "/no-such-page/"}


def _server_error_html():
    with translation.override("zh-hans"):
        return render_to_string("500.html")


#: The lines the factsheet's 统一社会信用代码 (18 characters) is drawn on.
CODE_LINES = """() => {
    const dd = [...document.querySelectorAll(".factsheet dd")]
        .find((d) => /^[0-9A-Z]{18}$/.test(d.textContent.trim()));
    const range = document.createRange();
    range.selectNodeContents(dd);
    return new Set([...range.getClientRects()].map((b) => Math.round(b.top))).size;
}"""


def _axe_on_every_page_type(live_server, browser, portal):
    found = {}
    spills = []  # pages wider than their window: read sideways on a phone
    split_codes = []  # a credit code broken over two lines: misread, mistyped
    shots = Path("/work/wt/shots/site")
    for width in WIDTHS:
        context = _context(browser, width)
        page = context.new_page()
        for name, url in _urls(portal).items():
            page.goto(live_server.url + url)
            if name == "statistics":
                page.locator("[data-chart] svg").first.wait_for()
            violations = _axe(page)
            if violations:
                found[f"{name}@{width}"] = violations
            if not fits(page):
                spills.append(f"{name}@{width}")
            if name == "showcase_page" and page.evaluate(CODE_LINES) != 1:
                split_codes.append(f"{name}@{width}")
            page.screenshot(path=ARTIFACTS / f"a11y-{name}-{width}.png", full_page=True)
        # The 500 page renders without the database: its HTML, on this site.
        page.goto(live_server.url + "/no-such-page/")
        page.set_content(_server_error_html())
        violations = _axe(page)
        if violations:
            found[f"500@{width}"] = violations
        if shots.parent.exists():
            shots.mkdir(exist_ok=True)
            page.goto(live_server.url + portal["home"].url)
            page.screenshot(path=shots / f"home-{width}.png", full_page=True)
            page.goto(live_server.url + portal["notices"].url)
            page.screenshot(path=shots / f"notices-{width}.png", full_page=True)
            page.goto(live_server.url + portal["statistics"].url)
            page.locator("[data-chart] svg").first.wait_for()
            page.screenshot(path=shots / f"statistics-{width}.png", full_page=True)
        context.close()
    assert found == {}
    assert spills == []
    assert split_codes == []


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName, href: el.getAttribute("href"), text: el.innerText.trim(),
        outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor, shadow: style.boxShadow,
        visible: box.width > 0 && box.height > 0,
    };
}"""


def _keyboard_walk(live_server, browser, portal):
    context = _context(browser, 1280)
    page = context.new_page()
    page.goto(live_server.url + portal["home"].url)
    links = set(
        page.eval_on_selector_all(
            "a[href]",
            "els => els.filter(e => e.getClientRects().length && "
            "getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden]'))"
            ".map(e => e.getAttribute('href'))",
        )
    )
    reached, stops = set(), []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
        if focused["href"]:
            reached.add(focused["href"])
    page.screenshot(path=ARTIFACTS / "a11y-keyboard-last-stop.png")
    context.close()
    # Every stop is a visible control with a 3 px solid focus ring (yellow, over a
    # dark inner ring: seen on white, the red masthead and the blue menu alike).
    assert stops and all(s["visible"] for s in stops)
    assert [s for s in stops if s["outline"] != "solid" or s["outlineWidth"] < 3] == []
    assert {s["outlineColor"] for s in stops} == {"rgb(255, 210, 63)"}
    assert stops[0]["text"] == "跳到正文"
    # No invisible stop: the menu button is not a Tab stop at desktop width.
    assert "栏目" not in [s["text"] for s in stops]
    assert links <= reached, links - reached


TEXT_SIZES = """() => {
    const sizes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim()) continue;
        const el = node.parentElement;
        if (el.closest("script, style, [hidden], .visually-hidden, .skip-link")) continue;
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        if (el.namespaceURI === "http://www.w3.org/2000/svg") {
            sizes.push({text: node.textContent.trim(), size: parseFloat(
                el.getAttribute("font-size") || getComputedStyle(el).fontSize),
                fill: el.getAttribute("fill") || "", svg: true});
        } else {
            sizes.push({text: node.textContent.trim(), size: parseFloat(getComputedStyle(el).fontSize), svg: false});
        }
    }
    return sizes;
}"""


def _grey(colour):
    """The darkest channel of an SVG fill (#555, #444, rgb(…)); 255 when unknown."""
    hexes = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", colour.lower())
    if hexes:
        digits = hexes.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return max(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    numbers = re.findall(r"\d+", colour)
    return max(int(n) for n in numbers[:3]) if numbers else 255


def _large_text(live_server, browser, portal):
    context = _context(browser, 1280)
    page = context.new_page()
    for key in ("home", "statistics", "notices"):
        page.goto(live_server.url + portal[key].url)
        if key == "statistics":
            page.locator("[data-chart] svg text").first.wait_for()
        sizes = page.evaluate(TEXT_SIZES)
        assert [s for s in sizes if s["size"] < 14] == [], key
        body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body >= 16
    # Chart labels: at least 14 px; axis text #555 or darker (no channel above 0x55).
    page.goto(live_server.url + portal["statistics"].url)
    page.locator("[data-chart] svg text").first.wait_for()
    chart_text = [s for s in page.evaluate(TEXT_SIZES) if s["svg"]]
    assert chart_text and all(s["size"] >= 14 for s in chart_text)
    assert [s for s in chart_text if _grey(s["fill"]) > 0x55] == []

    page.goto(live_server.url + portal["home"].url)
    button = page.get_by_role("button", name="大字版")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    root = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    assert page.evaluate(root) == 20  # 125% of 16 px
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    page.screenshot(path=ARTIFACTS / "a11y-large-text-home.png", full_page=True)
    # Kept in this browser: the next page opens large, its charts too.
    page.goto(live_server.url + portal["statistics"].url)
    page.locator("[data-chart] svg text").first.wait_for()
    assert page.evaluate(root) == 20
    chart_text = [s for s in page.evaluate(TEXT_SIZES) if s["svg"]]
    assert all(s["size"] >= 17 for s in chart_text)
    page.screenshot(path=ARTIFACTS / "a11y-large-text-statistics.png", full_page=True)
    shots = Path("/work/wt/shots/site")
    if shots.parent.exists():
        shots.mkdir(exist_ok=True)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for key in ("home", "statistics"):
                page.goto(live_server.url + portal[key].url)
                page.screenshot(
                    path=shots / f"large-text-{key}-{width}.png", full_page=True
                )
    # A visitor with another browser (nothing stored) gets the ordinary size.
    other = _context(browser, 1280)
    visitor = other.new_page()
    visitor.goto(live_server.url + portal["home"].url)
    assert visitor.evaluate(root) == 16
    other.close()
    context.close()


def _phone_menu(live_server, browser, portal):
    context = _context(browser, 390)
    page = context.new_page()
    page.goto(live_server.url + portal["home"].url)
    button = page.get_by_role("button", name="栏目")
    menu = page.locator("#mainnav-list")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="公示公告").is_visible()
    assert menu.get_by_role("link", name="申报通知").is_visible()
    page.screenshot(path=ARTIFACTS / "a11y-menu-open-390.png")
    context.close()


def test_public_site_for_everyone(live_server, browser, portal, media_served):
    """One transactional test (live_server needs committed data; see
    test_public_site_browser): axe on every page type at both widths, the
    keyboard walk, 大字版, the phone menu."""
    _axe_on_every_page_type(live_server, browser, portal)
    _keyboard_walk(live_server, browser, portal)
    _large_text(live_server, browser, portal)
    _phone_menu(live_server, browser, portal)
