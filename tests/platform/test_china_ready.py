"""The platform works where the outside internet does not reach (mainland China):
in headless Chromium, the login page, the dashboard, a listing, an edit form, the
account page and the public home and statistics pages ask no host but the
platform's own — no Gravatar, no Wagtail release check or guide — link to none, show
the platform's name and mark instead of Wagtail's, carry its favicon, and raise no
script error (the account page once threw "Invalid time zone specified: localtime").

Screenshots of the login page and the dashboard go to test-artifacts/china-ready/."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "china-ready"
DEMO_PASSWORD = "demo-2026"
PLATFORM = "社会组织孵化与资金项目管理平台"

# Every address a page names in a link or a resource, read from the DOM.
ADDRESSES = """() => [
  ...[...document.querySelectorAll("a[href]")].map((e) => e.href),
  ...[...document.querySelectorAll("link[href]")].map((e) => e.href),
  ...[...document.querySelectorAll("script[src]")].map((e) => e.src),
  ...[...document.querySelectorAll("img[src]")].map((e) => e.src),
  ...[...document.querySelectorAll("iframe[src]")].map((e) => e.src),
  ...[...document.querySelectorAll("form[action]")].map((e) => e.action),
]"""


class Visit:
    """One browser window at one width that keeps every request it makes, every
    address its pages name and every script error, each with the page it was on."""

    def __init__(self, chromium, base, width=1366):
        self.base = base
        self.width = width
        self.context = chromium.new_context(
            viewport={"width": width, "height": 768 if width > 500 else 844},
            locale="zh-CN",
        )
        self.requests = []
        self.named = []
        self.errors = []
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(message.text) if message.type == "error" else None
            ),
        )

    def goto(self, path):
        response = self.page.goto(self.base + path)
        settle(self.page)
        self.named += self.page.evaluate(ADDRESSES)
        return response

    def login(self, username):
        self.goto("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.locator('form button[type="submit"]').click()
        self.page.wait_for_url(self.base + "/admin/")
        settle(self.page)
        self.named += self.page.evaluate(ADDRESSES)

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}-{self.width}.png")

    def elsewhere(self, addresses):
        """The addresses that leave this deployment (data: and blob: stay)."""
        own = urlsplit(self.base).netloc
        return sorted(
            {
                address
                for address in addresses
                if urlsplit(address).scheme in ("http", "https", "ws", "wss")
                and urlsplit(address).netloc != own
            }
        )

    def favicon(self):
        """The page's icon, fetched: its address and HTTP status."""
        href = self.page.evaluate(
            "() => document.querySelector(\"link[rel~='icon']\")?.href || null"
        )
        assert href, f"{self.page.url} names no favicon"
        return href, self.page.request.get(href).status


@pytest.mark.usefixtures("demo_rows")
def test_pages_ask_no_outside_host_and_show_the_platform(live_server, browser):  # noqa: F811
    base = live_server.url
    for width in (1366, 390):
        visit = Visit(browser, base, width)
        visit.goto("/admin/login/")
        # The platform's name and mark, not Wagtail's, on the page and in the title.
        assert PLATFORM in visit.page.locator("h1").inner_text()
        assert visit.page.locator("h1 img[src$='core/img/mark.svg']").is_visible()
        assert visit.page.title() == f"登录 - {PLATFORM}"
        assert "Wagtail" not in visit.page.inner_text("body")
        assert visit.page.locator(".icon-wagtail").count() == 0
        assert visit.page.evaluate("document.documentElement.scrollWidth") == width
        visit.shot("login")
        visit.login("admin")
        assert visit.page.title().endswith(f" - {PLATFORM}")
        # No "what's new in Wagtail" banner on the dashboard.
        assert "Wagtail" not in visit.page.inner_text("main")
        visit.shot("dashboard")
        visit.context.close()

    visit = Visit(browser, base)
    visit.login("admin")
    # The avatar is drawn here from the name, not fetched (Gravatar or otherwise).
    avatar = visit.page.locator(
        "#wagtail-sidebar img.avatar, #wagtail-sidebar .avatar img"
    )
    assert avatar.first.get_attribute("src").startswith("data:image/svg+xml")
    # The sidebar shows the platform's mark, not Wagtail's bird.
    assert visit.page.locator("#wagtail-sidebar img[src$='core/img/mark.svg']").count()
    assert visit.favicon() == (f"{base}{settings.STATIC_URL}core/img/favicon.svg", 200)
    from cms.models import StatisticsPage
    from incubator.models import Organization

    organization = Organization.objects.order_by("pk").first()
    for path in (
        "/admin/snippets/incubator/organization/",
        f"/admin/snippets/incubator/organization/edit/{organization.pk}/",
        "/admin/account/",
    ):
        assert visit.goto(path).status == 200, path
    # The help menu keeps only what this site serves: its guide links are gone.
    visit.goto("/admin/")
    visit.page.locator("#wagtail-sidebar button:has-text('帮助')").click()
    help_items = visit.page.locator("#wagtail-sidebar a, #wagtail-sidebar button")
    visit.named += [
        href
        for href in help_items.evaluate_all("es => es.map(e => e.href || '')")
        if href
    ]
    public = Visit(browser, base)
    for path in ("/", StatisticsPage.objects.live().first().url, "/favicon.ico"):
        assert public.goto(path).status == 200, path
        if path != "/favicon.ico":
            assert public.favicon() == (
                f"{base}{settings.STATIC_URL}core/img/favicon.svg",
                200,
            )

    for watched in (visit, public):
        assert watched.elsewhere(watched.requests) == []
        assert watched.elsewhere(watched.named) == []
        assert watched.errors == []
        watched.context.close()
