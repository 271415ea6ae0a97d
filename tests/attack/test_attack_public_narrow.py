"""The public site on a phone, attacked: with
hostile but realistic content no public page may be wider than a 390 px phone or
a 1280 px window, long text must be wholly inside the window (readable, not cut
off), and a table cell with a long text must keep at least 3 characters a line.
A table that scrolls inside its own wrapper (overflow-x: auto) is acceptable.

Phase 1: long Chinese names and titles only (66-character organization name,
48-character call and project titles, a 29-character service field, a 公示 of
6 rows), at 390 px and 1280 px and at 390 px in 大字版. Phase 2 adds, to the same
kinds of page, a long Latin word or a web address with no space (titles,
captions, news source and summary, a 公示's project titles, breadcrumbs, cards,
a 32-character service field).

Screenshots: test-artifacts/attack-narrow/<phase>-<page>-<width>.png."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from tests.cms import test_public_site_browser as shared
from tests.fixtures.cms import PERSONAL, _publish, story_json
from tests.support.browser import fits

browser = shared.browser
_fresh_content_type_cache = shared._fresh_content_type_cache

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "attack-narrow"
WIDTHS = (390, 1280)

#: 66 Chinese characters: a real registered name can be this long.
LONG_CJK = (
    "湖南省长沙市雨花区同心阳光社会工作服务中心暨湘江新区社区治理与乡村振兴"
    "公益创投项目联合孵化培育发展平台南省第一分中心"
)
#: A Latin brand word with no space (an English name kept as one word).
LONG_WORD = "SunshineCommunitySocialWorkServiceCentreChangshaYuhua"
#: A web address, as editors paste it into titles and captions.
LONG_URL = (
    "https://www.hnshzz.org.cn/showcase/2023/yangguangshegongfuwuzhongxin/index.html"
)
#: A service field name at its maximum length (32), one word.
LONG_FIELD = "CommunityGovernanceAndVolunteers"

#: Offenders: visible elements whose box ends past the window or starts before
#: it, or whose text is wider than its own box, not inside a scroller.
OFFENDERS = """() => {
    const width = window.innerWidth;
    const scrolls = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            const x = getComputedStyle(a).overflowX;
            if (x === "auto" || x === "scroll") return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        if (el.closest("script, style, [hidden], .visually-hidden, .skip-link, svg, canvas, [data-chart]")) continue;
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        if (scrolls(el)) continue;
        const own = Array.from(el.childNodes).some(
            (n) => n.nodeType === 3 && n.textContent.trim());
        const past = box.right > width + 1 || box.left < -1;
        const clipped = own && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
            && getComputedStyle(el).display !== "inline";
        if (own && (past || clipped)) {
            out.push(`${el.tagName.toLowerCase()}.${el.className || "-"} `
                + `[${Math.round(box.left)}..${Math.round(box.right)}]`
                + `${clipped ? " clipped" : ""}: ${el.textContent.trim().slice(0, 40)}`);
        }
    }
    return out;
}"""

#: Is this text wholly inside the window and not clipped by an ancestor?
TEXT_VISIBLE = """(needle) => {
    const width = window.innerWidth;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.includes(needle)) continue;
        const el = node.parentElement;
        if (el.closest("script, style, [hidden], .visually-hidden, title, option")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (!box.width) continue;
        let clip = null;
        let left = box.left;
        let right = box.right;
        for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (s.overflowX === "auto" || s.overflowX === "scroll") {
                // a table scrolling in its own wrapper: the reader scrolls to it
                const r = a.getBoundingClientRect();
                if (r.left < -1 || r.right > width + 1) clip = a.tagName;
                left = r.left;
                right = Math.min(r.right, width);
                break;
            }
            if (s.overflowX !== "visible") {
                const r = a.getBoundingClientRect();
                if (box.left < r.left - 1 || box.right > r.right + 1) clip = a.tagName;
                break;
            }
        }
        found.push({left, right, clip,
                    tag: el.tagName + "." + el.className});
    }
    return found.map((f) => ({...f, inside: f.left >= -1 && f.right <= width + 1 && !f.clip}));
}"""


#: 48 Chinese characters: a real call / project / notice title runs this long.
LONG_CALL = "2023年度湖南省福彩公益金支持社会组织参与乡村振兴和基层社会治理服务项目"
LONG_TITLE = "关于湖南省长沙市雨花区同心阳光社会工作服务中心承接的留守儿童关爱与困境老人探访服务项目"


#: Table cells with a long text squeezed to fewer than 3 characters a line.
SQUEEZED = """() => Array.from(document.querySelectorAll("table td, table th"))
    .filter((cell) => cell.innerText.trim().length >= 8)
    .map((cell) => {
        const s = getComputedStyle(cell);
        const inner = cell.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return {text: cell.innerText.trim().slice(0, 16), chars: inner / parseFloat(s.fontSize)};
    })
    .filter((c) => c.chars < 3)
    .map((c) => `table cell ${c.chars.toFixed(1)} characters a line: ${c.text}`)"""


def _topic(pages, slug, title, report_title):
    """A topic index under the news index and one report in it (a breadcrumb
    three deep): the report page."""
    from cms.models import NewsIndexPage, NewsPage

    topic = _publish(pages["news"], NewsIndexPage(title=title, slug=slug))
    return _publish(
        topic,
        NewsPage(
            title=report_title, slug=f"{slug}-report", date=datetime.date(2025, 3, 1)
        ),
    )


@pytest.fixture
def hostile(
    cms_site,
    make_organization,
    make_showcase,
    make_news,
    make_call,
    approved_application,
    make_project,
    make_pairing,
    make_story_page,
    service_fields,
    manager,
):
    """Phase 1: pages of every public type with long Chinese names and titles
    only (what wraps anywhere). `hostile["latin"]()` then adds phase 2: the same
    kinds of page carrying a long Latin word or a web address."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from cms.models import AwardNoticePage
    from cms.services.announcements import call_page_ensure
    from cms.skeleton import site_skeleton_ensure
    from funding.services.notices import notice_close, notice_publish
    from incubator.models import ServiceField

    pages = {**cms_site, **site_skeleton_ensure()}
    photo = Image.objects.create(
        title="IMG_20240315_0932", file=get_test_image_file(colour="#5b8c6f")
    )

    def notice_for(call, rows, title):
        for organization, project, amount in rows:
            approved_application(
                amount=Decimal(amount),
                organization=organization,
                call=call,
                title=project,
            )
        notice = notice_publish(
            call,
            title=title,
            starts_on=datetime.date(2023, 6, 5),
            working_days=5,
            objection_contact="省民政厅社会组织管理局 0731-84000000",
            user=manager,
        )
        page = AwardNoticePage.objects.get(notice=notice)
        notice_close(notice, user=manager, on=datetime.date(2023, 6, 12))
        return page

    # --- phase 1: Chinese only, long -------------------------------------------
    field = ServiceField.objects.create(
        name="社区治理与志愿服务及乡村振兴公益创投和困境儿童关爱保护"
    )
    org = make_organization(name=LONG_CJK, **PERSONAL)
    org.service_fields.set([field, service_fields["养老"]])
    org.save()
    call = make_call(name=LONG_CALL)
    pages["notice_page"] = notice_for(
        call,
        [(org, LONG_TITLE, "1500000")]
        + [
            (
                make_organization(name=LONG_CJK + str(i), **PERSONAL),
                LONG_TITLE + str(i),
                "123456.78",
            )
            for i in range(5)
        ],
        "2023年度湖南省福彩公益金支持社会组织参与乡村振兴和基层社会治理服务项目拟立项名单公示",
    )
    pages["showcase_page"] = make_showcase(
        org,
        title=LONG_CJK,
        graduation_year=2021,
        summary="扎根社区十年的社工机构，" + LONG_TITLE,
        cover_image=photo,
        cover_alt="社工在社区为老人测量血压",
        story=story_json(
            photo,
            "成长故事：" + LONG_TITLE,
            "入驻第一年：" + LONG_TITLE,
            LONG_TITLE * 2,
        ),
    )
    pages["news_page"] = make_news(
        title=LONG_CJK + "获得福彩公益金资助",
        source="湖南省民政厅社会组织管理局（湖南省社会组织执法监察局）",
        summary=LONG_TITLE,
    )
    pages["breadcrumb_page"] = _topic(
        pages, "topic", "专题：" + LONG_CALL, "专题报道：" + LONG_TITLE
    )
    pages["call_page"] = call_page_ensure(call, user=manager)
    project = make_project(pairing=make_pairing(organization=org), title=LONG_TITLE)
    pages["story_page"] = make_story_page(project, title=LONG_TITLE + "的故事")

    # --- phase 2: the same with a Latin word or an address ----------------------
    def latin():
        from django.core.cache import cache

        latin_field = ServiceField.objects.create(name=LONG_FIELD)
        other = make_organization(name=LONG_CJK + "B", **PERSONAL)
        other.service_fields.set([latin_field])
        other.save()
        latin_call = make_call(name="2024年度湖南省福彩公益金" + LONG_WORD + "项目")
        pages["notice_latin"] = notice_for(
            latin_call,
            [
                (other, "乡村阅读小屋" + LONG_WORD, "1500000"),
                (
                    make_organization(name=LONG_CJK + "C", **PERSONAL),
                    "详见" + LONG_URL,
                    "120000",
                ),
            ],
            "2024年度福彩公益金资助项目立项公示" + LONG_WORD,
        )
        pages["showcase_latin"] = make_showcase(
            other,
            title="阳光社工" + LONG_WORD,
            graduation_year=2021,
            summary="官网：" + LONG_URL,
            story=story_json(
                photo,
                "成长故事" + LONG_WORD,
                "图片来源：" + LONG_URL,
                "更多信息请访问" + LONG_URL + "。",
            ),
        )
        pages["news_latin"] = make_news(
            title="七十家社会组织获得福彩公益金资助" + LONG_WORD,
            source=LONG_URL,
            summary="详见" + LONG_URL,
        )
        pages["breadcrumb_latin"] = _topic(
            pages, "topic-latin", "专题" + LONG_WORD, "专题报道" + LONG_WORD
        )
        pages["call_latin"] = call_page_ensure(latin_call, user=manager)
        project = make_project(
            pairing=make_pairing(organization=other), title="乡村阅读小屋" + LONG_WORD
        )
        pages["story_latin"] = make_story_page(project)
        cache.clear()  # the public pages and figures are cached (locmem, this process)

    pages["latin"] = latin
    return pages


#: (page key, long texts a reader must see whole on it) of phase 1: Chinese only.
CJK_CASES = [
    ("home", [LONG_CJK + "获得福彩公益金资助", LONG_CJK]),
    ("showcase", [LONG_CJK]),
    (
        "showcase_page",
        [LONG_CJK, "成长故事：" + LONG_TITLE, "入驻第一年：" + LONG_TITLE, LONG_CALL],
    ),
    ("news", [LONG_CJK + "获得福彩公益金资助", "专题：" + LONG_CALL]),
    ("news_page", [LONG_CJK + "获得福彩公益金资助", "湖南省社会组织执法监察局）"]),
    ("breadcrumb_page", ["专题：" + LONG_CALL, "专题报道：" + LONG_TITLE]),
    ("notices", ["拟立项名单公示"]),
    ("notice_page", [LONG_CJK + "4", LONG_TITLE + "4", "123,456.78"]),
    ("calls", [LONG_CALL]),
    ("call_page", [LONG_CALL]),
    ("story_page", [LONG_TITLE + "的故事"]),
    ("statistics", ["社区治理与志愿服务及乡村振兴公益创投和困境儿童关爱保护"]),
]

#: Phase 2: a Latin word or a web address.
LATIN_CASES = [
    ("home", ["七十家社会组织获得福彩公益金资助" + LONG_WORD, "阳光社工" + LONG_WORD]),
    ("showcase", ["阳光社工" + LONG_WORD, LONG_CJK]),
    (
        "showcase_latin",
        [
            "阳光社工" + LONG_WORD,
            "成长故事" + LONG_WORD,
            LONG_URL,
            "乡村阅读小屋" + LONG_WORD,
        ],
    ),
    ("news", ["七十家社会组织获得福彩公益金资助" + LONG_WORD, LONG_URL]),
    ("news_latin", ["七十家社会组织获得福彩公益金资助" + LONG_WORD, LONG_URL]),
    ("breadcrumb_latin", ["专题" + LONG_WORD, "专题报道" + LONG_WORD]),
    ("notices", ["2024年度福彩公益金资助项目立项公示" + LONG_WORD]),
    ("notice_latin", ["乡村阅读小屋" + LONG_WORD, LONG_URL]),
    ("calls", ["2024年度湖南省福彩公益金" + LONG_WORD]),
    ("call_latin", ["2024年度湖南省福彩公益金" + LONG_WORD]),
    ("story_latin", ["乡村阅读小屋" + LONG_WORD]),
    ("statistics", [LONG_FIELD]),
]


def _walk(live_server, browser, pages, cases, phase, widths, large=False):
    """Open each case at each width; {"<key>@<width>": problems} of what spills
    (the page wider than the window) or is not wholly inside the window."""
    failures = {}
    for width in widths:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN"
        )
        page = context.new_page()
        if large:
            page.goto(live_server.url + pages["home"].url)
            page.get_by_role("button", name="大字版").click()
        for key, texts in cases:
            response = page.goto(live_server.url + pages[key].url)
            assert response.status == 200, key
            if key == "statistics":
                page.locator("[data-chart] svg").first.wait_for()
            shot = f"{phase}-{key}-{width}.png"
            page.screenshot(path=SHOTS / shot, full_page=True)
            problems = []
            if not fits(page):
                scroll = page.evaluate("document.documentElement.scrollWidth")
                problems.append(
                    f"page {scroll} px wide in a {width} px window ({shot})"
                )
                problems += page.evaluate(OFFENDERS)[:6]
            else:
                # inside a page that fits, text can still start left of the window
                problems += [o for o in page.evaluate(OFFENDERS) if "[-" in o][:3]
            problems += page.evaluate(SQUEEZED)[:3]
            for text in texts:
                # the breadcrumb, the title and cards repeat a text: each one counts
                boxes = page.evaluate(TEXT_VISIBLE, text[-24:])
                if not boxes:
                    problems.append(f"not shown: {text[-24:]}")
                for b in boxes:
                    if not b["inside"]:
                        problems.append(
                            f"outside the window: {text[-24:]} in {b['tag']} "
                            f"[{round(b['left'])}..{round(b['right'])}]"
                            + (f" clipped by {b['clip']}" if b["clip"] else "")
                        )
            if problems:
                failures[f"{key}@{width}"] = problems
        context.close()
    return failures


def test_public_pages_fit_a_phone_with_long_names(
    live_server, browser, hostile, media_served
):
    """Every public page type at 390 px and 1280 px (and at 390 px in 大字版):
    no page wider than its window, every long name, title and address wholly
    inside it. Phase 1 has Chinese text only; phase 2 adds Latin words and
    addresses to the same kinds of page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = {
        "chinese": _walk(live_server, browser, hostile, CJK_CASES, "cjk", WIDTHS),
        "chinese, 大字版": _walk(
            live_server, browser, hostile, CJK_CASES, "cjk-large", (390,), large=True
        ),
    }
    hostile["latin"]()
    failures["latin word / address"] = _walk(
        live_server, browser, hostile, LATIN_CASES, "latin", WIDTHS
    )
    report = json.dumps(failures, ensure_ascii=False, indent=1)
    print(report)
    assert failures == {
        "chinese": {},
        "chinese, 大字版": {},
        "latin word / address": {},
    }, report
