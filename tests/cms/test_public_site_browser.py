"""End-to-end in headless Chromium (Debian's `chromium`, driven by Playwright):
the public pages as a visitor sees them, the charts drawn by ECharts, and an editor's
submit → moderator's approve → published round trip. Screenshots go to
test-artifacts/ (ignored by git)."""

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db.models import Count

from core import roles
from incubator.choices import OrganizationType
from incubator.models import Organization
from tests.fixtures.users import PASSWORD
from tests.support.browser import track_requests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture(autouse=True)
def _fresh_content_type_cache(transactional_db):
    """The migrations' data is restored (serialized_rollback): read the content
    types afresh rather than trust this process's cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def browser(live_server, monkeypatch, request):
    """A Chromium started for one test, after the test database is set up and
    closed before it is flushed.

    Every context it opens keeps its unfinished requests
    (`tests.support.browser.track_requests`): a failing test lists them in its
    report (tests/conftest.py), so a page that waits on a request names it.

    While Playwright's sync API runs, its event loop makes Django hand this thread
    other database connection objects (asgiref's context-local storage); they are
    closed here, before Playwright stops."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make system-deps`.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Only for this test: a leftover variable would fail `check --deploy` elsewhere.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        request.node.browser_contexts = contexts = []
        new_context = browser.new_context

        def tracked_context(*args, **kwargs):
            context = track_requests(new_context(*args, **kwargs))
            contexts.append(context)
            return context

        browser.new_context = tracked_context
        yield browser
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name):
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.fixture
def portal(cms_site, organization_mix, make_showcase, make_news):
    showcase = make_showcase(
        organization_mix[3], title="同心社会工作服务中心", graduation_year=2021
    )
    make_news(title="七十家社会组织获得福彩公益金资助")
    return {**cms_site, "showcase_page": showcase}


def _public_pages(live_server, page, portal):
    page.goto(live_server.url + portal["home"].url)
    assert page.locator("h1").inner_text() == "培育发展社会组织"
    assert page.locator('[data-figure="organizations_registered"]').inner_text() == "7"
    assert page.get_by_text("七十家社会组织获得福彩公益金资助").is_visible()
    _shot(page, "home")

    page.get_by_role("link", name="社会组织风采").first.click()
    page.wait_for_url(f"**{portal['showcase'].url}")
    assert page.locator(".card__title").all_inner_texts() == ["同心社会工作服务中心"]
    page.select_option('select[name="year"]', "2021")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**year=2021**")
    assert page.locator(".card__title").count() == 1
    _shot(page, "showcase-index")

    page.locator(".card__link").first.click()
    page.wait_for_url(f"**{portal['showcase_page'].url}")
    assert page.locator(".factsheet").get_by_text("社会服务机构").is_visible()
    assert page.get_by_text("孵化基地帮我们成长。").is_visible()
    _shot(page, "showcase-page")

    # On a phone the menu folds behind a button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + portal["home"].url)
    nav = page.locator(".mainnav__list")
    assert not nav.is_visible()
    page.get_by_text("栏目", exact=True).click()
    assert nav.is_visible()
    _shot(page, "home-mobile")


def _statistics_page(live_server, page, portal):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + portal["statistics"].url)
    charts = page.locator("[data-chart]")
    # 5 of organizations; money by fund and projects have no data here: their
    # tables say so, and no empty chart is drawn.
    assert charts.count() == 5
    assert page.locator("table[data-table]").count() == 8  # 7 + the outcomes
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator("svg, canvas").first.wait_for()
        assert chart.locator("svg, canvas").count() >= 1
    # The table of organizations by type is the database's count per type.
    expected = {
        str(OrganizationType(row["org_type"]).label): row["n"]
        for row in Organization.objects.filter(registration_status="active")
        .values("org_type")
        .annotate(n=Count("pk"))
    }
    rows = page.locator('[data-table="organizations_by_type"] tbody tr')
    shown = {
        rows.nth(i).locator("th").inner_text(): int(
            rows.nth(i).locator("td").inner_text()
        )
        for i in range(rows.count())
    }
    assert (
        shown
        == expected
        == {"社会团体": 2, "基金会": 1, "社会服务机构": 3, "社区社会组织": 1}
    )
    _shot(page, "statistics")


def _login(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.wait_for_url(base + "/admin/")


def _moderation_round_trip(live_server, browser, portal, make_user):
    from cms.models import NewsPage

    make_user("bianji", roles.EDITOR)
    make_user("shenhe", roles.ADMINISTRATOR)
    base = live_server.url

    editor = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    ).new_page()
    _login(editor, base, "bianji")
    editor.goto(f"{base}/admin/pages/add/cms/newspage/{portal['news'].pk}/")
    editor.fill("#id_title", "社会组织助力乡村振兴观察")
    editor.press("#id_title", "Tab")
    # Leaving the title makes the slug from it (Chinese slugs allowed): wait for it.
    # (A locator wait, not wait_for_function: the page's CSP forbids eval.)
    from playwright.sync_api import expect

    expect(editor.locator("#id_slug")).not_to_have_value("")
    editor.fill("#id_summary", "一篇待审核的动态")
    editor.locator("footer .w-dropdown__toggle").last.click()
    editor.locator('button[name="action-submit"]').click()
    editor.wait_for_url(f"**/admin/pages/{portal['news'].pk}/")
    _shot(editor, "moderation-1-submitted")
    news = NewsPage.objects.get(title="社会组织助力乡村振兴观察")
    assert not news.live
    assert news.current_workflow_task_state is not None

    visitor = browser.new_context().new_page()
    # The slug is made from the title by the editor's form (Chinese slugs allowed).
    public_url = base + quote(f"{portal['news'].url}{news.slug}/")
    assert visitor.goto(public_url).status == 404

    moderator = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    ).new_page()
    _login(moderator, base, "shenhe")
    moderator.goto(f"{base}/admin/pages/{news.pk}/edit/")
    moderator.locator("footer .w-dropdown__toggle").last.click()
    # "Approve" (without comment): approving the only task publishes the page.
    moderator.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).click()
    moderator.wait_for_url(f"**/admin/pages/{portal['news'].pk}/")
    _shot(moderator, "moderation-2-approved")
    news.refresh_from_db()
    assert news.live
    assert public_url == base + news.url

    visitor = browser.new_context().new_page()  # nothing cached from the first visit
    response = visitor.goto(public_url)
    assert response.status == 200, (response.status, visitor.content()[:3000])
    assert visitor.locator("h1").inner_text() == "社会组织助力乡村振兴观察"
    _shot(visitor, "moderation-3-published")


def test_public_site_end_to_end(
    live_server, browser, page, portal, make_user, media_served
):
    """A visitor reads the home page, the showcase index and a showcase, then the
    statistics page; an editor submits a news item and a moderator approves it."""
    _public_pages(live_server, page, portal)
    _statistics_page(live_server, page, portal)
    _moderation_round_trip(live_server, browser, portal, make_user)
