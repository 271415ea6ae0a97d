"""Helpers of the browser tests (headless Chromium through Playwright): a person's
window that signs in through the login form, keeps every Content-Security-Policy
violation and page error it meets, takes screenshots and checks that an element
is inside the window; and the listing of violations for an assertion message.

The Chromium itself is the `browser` fixture of
`tests.cms.test_public_site_browser` (one per test, after the test database)."""

import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from tests.fixtures.users import PASSWORD

#: How long `settle` waits for a quiet network once the page has loaded (ms).
QUIET_MS = 10_000

#: Reports each CSP violation of the page to `window.__cspViolation`.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    [event.violatedDirective, event.blockedURI, event.sourceFile + ":" +
     event.lineNumber, (event.sample || "").slice(0, 80)].join(" | ")
  );
});
"""


def track_requests(context):
    """Keep the requests of a browser context that have not finished yet in
    `context.pending_requests` ({request: seconds since the start, monotonic}), so
    that a page that never settles can say which request it waited for."""
    if hasattr(context, "pending_requests"):
        return context
    pending = {}
    context.pending_requests = pending
    context.on("request", lambda request: pending.setdefault(request, time.monotonic()))
    context.on("requestfinished", lambda request: pending.pop(request, None))
    context.on("requestfailed", lambda request: pending.pop(request, None))
    return context


def unfinished(context):
    """The requests of a tracked context still running: 'GET <url> (<s> s)' lines."""
    now = time.monotonic()
    return "\n".join(
        f"{request.method} {request.url} ({now - started:.1f} s)"
        for request, started in getattr(context, "pending_requests", {}).items()
    )


def settle(page):
    """Wait until the page has loaded (its `load` event: the document, its styles,
    scripts and images) and then, for up to `QUIET_MS`, until no request has run
    for half a second (what the page's scripts fetch when they start).

    A network still busy after that is not a failure here: the test goes on to
    read what the person sees, with `expect(...)`'s retries where the text comes
    late. The page and its unfinished requests are written as a warning, so that
    a request that hangs is named in the run's summary."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.wait_for_load_state("load")
    try:
        page.wait_for_load_state("networkidle", timeout=QUIET_MS)
    except PlaywrightTimeoutError:
        warnings.warn(
            f"network not quiet {QUIET_MS} ms after the load of {page.url}:\n"
            + (unfinished(page.context) or "(no tracked request)"),
            stacklevel=2,
        )


def listed(violations):
    """(address, text) pairs, one line each, repeats left out."""
    return "\n".join(f"{url}: {text}" for url, text in dict.fromkeys(violations))


def fits(page):
    """True when the page is no wider than its window (nothing spills sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


class Person:
    """One person's browser window at one width, zh-CN: signed in through the
    login form when `user` is given (with `password`), a visitor otherwise.

    `shots` is the folder of its screenshots (`shot(name)` → `<name>-<width>.png`,
    the whole page). Every CSP violation and page error is kept in `violations`;
    `close()` fails on any."""

    #: The windows not closed yet (`failure_shots` photographs them).
    open = []

    def __init__(
        self,
        chromium,
        base,
        user=None,
        width=1366,
        *,
        password=PASSWORD,
        shots=None,
        timeout_ms=None,
    ):
        self.base = base
        self.width = width
        self.shots = Path(shots) if shots else None
        self.context = chromium.new_context(
            viewport={"width": width, "height": 768 if width > 500 else 844},
            locale="zh-CN",
        )
        track_requests(self.context)
        self.violations = []
        Person.open.append(self)
        self.context.expose_function(
            "__cspViolation", lambda text: self.violations.append((self.url, text))
        )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        if timeout_ms:
            self.page.set_default_timeout(timeout_ms)
        self.page.on("console", self._console)
        # a person answers "yes" to the confirmation of what they chose to do
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.page.on(
            "pageerror", lambda error: self.violations.append((self.url, str(error)))
        )
        if user:
            self.login(user, password)

    def login(self, user, password=PASSWORD):
        """Sign in through /admin/login/; lands on the dashboard or wherever the
        login sends this user (`wait_for` the address yourself when it matters)."""
        self.goto("/admin/login/")
        self.page.fill("#id_username", user)
        self.page.fill("#id_password", password)
        self.submit(self.page.locator('form button[type="submit"]'))

    @property
    def url(self):
        return self.page.url

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append((self.url, message.text[:300]))

    def goto(self, path):
        """Open `path` of the live server and `settle` on it."""
        response = self.page.goto(self.base + path)
        settle(self.page)
        return response

    def submit(self, locator):
        """Click and `settle` on the next page."""
        locator.click()
        settle(self.page)

    def text(self, test_id):
        """The visible text of the (first) element with this data-testid."""
        return self.page.get_by_test_id(test_id).first.inner_text()

    def content(self):
        return self.page.content()

    def shot(self, name):
        """The whole page as `<name>-<width>.png`. Wagtail's admin scrolls inside
        its own layout, where a "full page" screenshot stops at the window: the
        window is made as tall as the tallest scrolling part for the shot."""
        if self.shots is None:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        height = self.page.evaluate(
            "Math.max(document.documentElement.scrollHeight, ...Array.from("
            "document.querySelectorAll('main, .content-wrapper, .w-main'),"
            " (el) => el.scrollHeight))"
        )
        self.page.set_viewport_size(
            {"width": size["width"], "height": min(height, 8000)}
        )
        try:
            self.page.screenshot(
                path=self.shots / f"{name}-{self.width}.png", full_page=True
            )
        finally:
            self.page.set_viewport_size(size)

    def fits(self):
        return fits(self.page)

    def in_view(self, locator):
        """Scrolled to, visible, and wholly inside the window (not cut off)."""
        locator.scroll_into_view_if_needed()
        assert locator.is_visible()
        box = locator.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= self.width + 0.5, box
        return box

    def close(self):
        assert self.violations == [], listed(self.violations)
        Person.open.remove(self)
        self.context.close()


@contextmanager
def failure_shots(name="failed"):
    """On a failure inside the block, each window still open is photographed
    (`<name>-<n>-<width>.png` in its folder) before the error goes on."""
    Person.open.clear()
    try:
        yield
    except Exception:
        for n, person in enumerate(Person.open):
            try:
                person.shot(f"{name}-{n}")
            except Exception:  # noqa: BLE001, S110 - the first error is the one to see
                pass
        raise
    finally:
        Person.open.clear()
