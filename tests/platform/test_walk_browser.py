"""The guarded screens walked in headless Chromium as the people who use them,
on the demo data (`seed_demo`, password demo-2026), in the Chinese UI, at 1366 px and
390 px: what each person sees — the Chinese text of a refusal, the element visible
and inside the window — and not one Content-Security-Policy violation on the way.

Each step was a fault found on the walk (see the commits of branch t13-walk):
a pay button out of reach at 390 px, English labels and messages, a false
"文件扩展“”是不被允许" under a refused document, the declared-conflict form offering
every account of the platform, an unconfirmed termination. Screenshots go to
test-artifacts/walk/."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.core.test_uploads import PDF, disk, png_bytes  # noqa: F401 - fixture
from tests.support.browser import LISTEN, settle
from tests.support.browser import listed as _listed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "walk"
DEMO_PASSWORD = "demo-2026"
HTML = b"<html><body><script>alert(document.cookie)</script>photos</body></html>"


class Person:
    """One demo user's browser window (or a visitor's, user None) at one width,
    keeping every CSP violation and page error it meets."""

    def __init__(self, chromium, base, user=None, width=1366):
        self.base = base
        self.width = width
        self.context = chromium.new_context(
            viewport={"width": width, "height": 768 if width > 500 else 844},
            locale="zh-CN",
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
        if user:
            self.goto("/admin/login/")
            self.page.fill("#id_username", user)
            self.page.fill("#id_password", DEMO_PASSWORD)
            self.page.locator('form button[type="submit"]').click()
            self.page.wait_for_url(base + "/admin/")

    @property
    def url(self):
        return self.page.url

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append((self.url, message.text[:300]))

    def goto(self, path):
        response = self.page.goto(self.base + path)
        settle(self.page)
        return response

    def submit(self, locator):
        locator.click()
        settle(self.page)

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}-{self.width}.png")

    def in_view(self, locator):
        """Scrolled to, visible, and wholly inside the window (not cut off)."""
        locator.scroll_into_view_if_needed()
        assert locator.is_visible()
        box = locator.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= self.width + 0.5, box
        return box

    def close(self):
        assert self.violations == [], _listed(self.violations)
        self.context.close()


def _login_lock(chromium, base):
    """Anyone: five wrong passwords lock the account; the page says so in Chinese,
    the password field is labelled 密码 and nothing spills sideways at 390 px."""
    visitor = Person(chromium, base, width=390)
    visitor.goto("/admin/login/")
    assert (
        visitor.page.locator("label[for=id_password]").inner_text().startswith("密码")
    )
    assert "Wagtail" not in visitor.page.locator("h1").inner_text()
    for attempt in range(5):
        visitor.page.fill("#id_username", "operator")
        visitor.page.fill("#id_password", f"wrong-{attempt}")
        visitor.submit(visitor.page.locator('form button[type="submit"]'))
        if attempt == 0:
            assert "用户名或密码不正确，请重试。" in visitor.page.inner_text("main")
    assert "登录失败次数过多，请 15 分钟后再试。" in visitor.page.inner_text("main")
    visitor.page.fill("#id_username", " operator")
    visitor.page.fill("#id_password", DEMO_PASSWORD)
    visitor.submit(visitor.page.locator('form button[type="submit"]'))
    assert visitor.url.endswith("/admin/login/")
    visitor.in_view(visitor.page.get_by_text("登录失败次数过多"))
    assert visitor.page.evaluate("document.documentElement.scrollWidth") == 390
    visitor.shot("login-locked")
    visitor.close()


def _evidence_upload(chromium, base, report):
    """The coordinator: a web page named photos.html refused as outcome evidence
    with the Chinese reason (and no English on the form); a PNG accepted; anonymous
    visitors get 404 for that evidence while the report is a draft, even if marked
    public."""
    from projects.models import OutcomeEvidence

    coordinator = Person(chromium, base, "coordinator")
    page = coordinator.page
    for name, content in (("photos.html", HTML), ("photo.png", png_bytes())):
        coordinator.goto(f"/admin/snippets/projects/outcomereport/edit/{report.pk}/")
        page.locator("#id_evidence-ADD").click()
        page.fill("[name='evidence-0-title']", "现场照片")
        page.set_input_files(
            "[name='evidence-0-file']",
            files=[{"name": name, "mimeType": "image/png", "buffer": content}],
        )
        page.check("[name='evidence-0-is_public']")
        coordinator.submit(page.locator("button[type=submit]:has-text('保存')").first)
    # the PNG went through: the review page lists it
    assert "现场照片" in page.inner_text("main")
    coordinator.goto(f"/admin/snippets/projects/outcomereport/edit/{report.pk}/")
    # back to the refused one, to see what the coordinator saw
    page.locator("#id_evidence-ADD").click()
    page.fill("[name='evidence-1-title']", "网页")
    page.set_input_files(
        "[name='evidence-1-file']",
        files=[{"name": "photos.html", "mimeType": "text/html", "buffer": HTML}],
    )
    coordinator.submit(page.locator("button[type=submit]:has-text('保存')").first)
    refusal = page.locator(".error-message:visible", has_text="不接受此类文件").first
    coordinator.in_view(refusal)
    assert "网页（HTML）、SVG 图片和脚本一律不接受" in refusal.inner_text()
    banner = page.locator(".messages").inner_text()
    assert "转到第一处错误" in banner and "Go to the first error" not in banner
    coordinator.shot("evidence-refused")
    coordinator.close()

    evidence = OutcomeEvidence.objects.get(report=report)
    assert evidence.file.name.endswith(".png") and evidence.is_public
    visitor = Person(chromium, base)
    assert visitor.goto(f"/evidence/{evidence.pk}/").status == 404
    visitor.close()


def _award_desk(chromium, base, tranche):
    """The fund manager records a disbursement: a 30-digit amount refused in
    Chinese, 1000 yuan recorded, and the desk says why they may not approve it
    themselves; terminating the award shows its summary first (gone back from:
    nothing happens)."""
    manager = Person(chromium, base, "fund")
    page = manager.page
    award = tranche.award
    manager.goto(f"/admin/funding/awards/{award.pk}/")
    form = page.locator("form:has(button:has-text('登记拨付'))")
    amount = form.locator("input[name=amount]")
    manager.in_view(amount)
    assert amount.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    form.locator("select").select_option(str(tranche.pk))
    amount.fill("999999999999999999999999999999")
    manager.submit(form.locator("button:has-text('登记拨付')"))
    assert (
        "金额不能超过999,999,999,999.99元。" in page.locator(".messages").inner_text()
    )
    form = page.locator("form:has(button:has-text('登记拨付'))")
    form.locator("select").select_option(str(tranche.pk))
    form.locator("input[name=amount]").fill("1000")
    manager.submit(form.locator("button:has-text('登记拨付')"))
    assert "已登记拨付，待资金管理员审批。" in page.locator(".messages").inner_text()
    note = page.get_by_text("这笔款项由您登记，须由他人批准")
    manager.in_view(note)
    manager.shot("award-desk")

    page.fill("[name=reason]", "机构已注销")
    manager.submit(page.locator("button:has-text('终止项目')"))
    summary = page.locator("[data-testid=confirmation-summary]")
    manager.in_view(summary)
    assert "将驳回" in summary.inner_text()
    manager.shot("award-terminate-confirmation")
    manager.submit(page.locator("a:has-text('不，返回')"))
    award.refresh_from_db()
    assert award.status != "terminated"
    manager.close()


def _pay_buttons(chromium, base):
    """Finance: the pay button of a disbursement approved by the fund manager is on
    screen at 1366 px, and reachable (scrolled into view inside the window) at
    390 px, where the listing scrolls sideways instead of hiding it."""
    for width in (1366, 390):
        finance = Person(chromium, base, "finance", width)
        finance.goto("/admin/snippets/funding/disbursement/")
        pay = finance.page.locator("a:has-text('审批并拨付（财务）')").first
        # Out of the window, a person reaches it only if what clips it scrolls:
        # Wagtail's content area hides sideways overflow (a script could still
        # scroll it, a finger cannot).
        clipped_by = pay.evaluate(
            """(button) => {
              for (let e = button.parentElement; e; e = e.parentElement) {
                const overflow = getComputedStyle(e).overflowX;
                if (overflow !== "visible" && e.scrollWidth > e.clientWidth + 1) {
                  return overflow;
                }
              }
              return "none";
            }"""
        )
        assert clipped_by in ("none", "auto", "scroll"), clipped_by
        finance.in_view(pay)
        finance.shot("disbursements-finance")
        finance.close()


def _conflict_form(chromium, base):
    """The fund manager declaring a conflict picks among the reviewers, by name."""
    manager = Person(chromium, base, "fund")
    manager.goto("/admin/snippets/funding/declaredconflict/add/")
    options = manager.page.locator("[name=reviewer] option").all_inner_texts()
    assert "周敏（zhou_min）" in options
    assert not {"finance", "fund", "editor", "admin"} & set(options)
    manager.goto("/admin/snippets/funding/declaredconflict/")
    assert "唐丽（tang_li）" in manager.page.inner_text("table.listing")
    manager.close()


def _document_upload(chromium, base):
    """The editor uploads a web page named notice.pdf: one Chinese refusal, not
    also Wagtail's false claim that the name has no extension."""
    editor = Person(chromium, base, "editor")
    editor.goto("/admin/documents/multiple/add/")
    editor.page.set_input_files(
        "input[type=file]",
        files=[{"name": "notice.pdf", "mimeType": "application/pdf", "buffer": HTML}],
    )
    item = editor.page.locator("#upload-list li").first
    item.get_by_text("不接受此类文件").wait_for()
    text = item.inner_text()
    assert "网页（HTML）、SVG 图片和脚本一律不接受" in text
    assert "文件扩展" not in text
    editor.in_view(item.get_by_text("不接受此类文件"))
    editor.shot("document-refused")
    editor.close()


def test_trust_screens_as_their_people_see_them(live_server, browser, disk):  # noqa: F811
    from funding.models import Disbursement, Tranche
    from funding.services.tranches import tranche_open_condition
    from projects.models import Indicator, OutcomeLine, OutcomeReport

    call_command("seed_demo", stdout=StringIO())
    base = live_server.url
    submitted = OutcomeReport.objects.get(status="submitted")
    report = OutcomeReport.objects.create(
        project=submitted.project,
        period_type=submitted.period_type,
        year=submitted.year,
        number=submitted.number + 1,
        status="draft",
        created_by=submitted.created_by,
    )
    OutcomeLine.objects.create(
        report=report,
        indicator=Indicator.objects.get(code="beneficiaries"),
        target=100,
        actual=80,
    )
    open_tranche = next(
        tranche
        for tranche in Tranche.objects.select_related("award").order_by("pk")
        if not Disbursement.objects.filter(tranche=tranche).aggregate(s=Sum("amount"))[
            "s"
        ]
        and tranche_open_condition(tranche) is None
    )

    _login_lock(browser, base)
    _evidence_upload(browser, base, report)
    _award_desk(browser, base, open_tranche)
    _pay_buttons(browser, base)
    _conflict_form(browser, base)
    _document_upload(browser, base)
