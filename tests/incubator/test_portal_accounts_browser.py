"""The organization user's first day in headless Chromium (Debian's, through
Playwright), Chinese UI: a fund manager invites a person of a resident
organization, the person opens the e-mail's link, chooses a username and
password, logs in, reads 我的机构 → 机构信息 (bank account masked) and marks a
milestone done in 我的孵化; at 1366 px and 390 px nothing overflows
(screenshots in test-artifacts/accounts/)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core import roles
from incubator.models import ClaimStatus, MilestoneClaim
from incubator.services.residencies import residency_admit
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "accounts"
PASSWORD = "Yiyang-2026-shegong"  # noqa: S105 - test data


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _new_page(browser, width):  # noqa: F811
    context = browser.new_context(
        viewport={"width": width, "height": 768 if width > 500 else 844},
        locale="zh-CN",
    )
    return context.new_page()


def test_invitation_first_login_organization_and_milestone_claim(
    browser,  # noqa: F811
    live_server,
    two_bases,
    make_organization,
    make_user,
):
    organization = make_organization(
        name="湖南省益阳社工服务中心",
        bank_name="中国工商银行益阳分行",
        bank_account="6222021234561234",
    )
    residency = residency_admit(
        organization=organization, base=two_bases.base_a, enter=True
    )
    first = residency.milestones.order_by("due_on", "pk").first()
    make_user("fund_wang", roles.FUND_MANAGER)

    for width, who in ((1366, "lead"), (390, "finance")):
        # the fund manager invites from the organization's screen
        staff = _open(browser, live_server, "fund_wang", width)
        staff.goto(
            live_server.url + reverse("incubator_invite", args=[organization.pk])
        )
        assert "邀请机构用户" in staff.content()
        staff.get_by_label("电子邮箱").fill(f"{who}@yiyang.example.org")
        _shot(staff, f"invite-{width}")
        assert _fits(staff)
        staff.get_by_role("button", name="发送邀请").click()
        settle(staff)
        assert "邀请已发送" in staff.content()
        staff.context.close()

        message = mail.outbox[-1]
        path = re.search(r"(/organizations/invitations/[^/\s]+/)", message.body)[1]

        # the invited person opens the link and chooses a username and password
        page = _new_page(browser, width)
        page.goto(live_server.url + path)
        assert "湖南省益阳社工服务中心" in page.content()
        assert _fits(page)
        page.fill("#id_username", f"yiyang_{who}")
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        _shot(page, f"accept-{width}")
        page.get_by_role("button", name="创建账号").click()
        settle(page)
        assert "账号已开通" in page.content()
        _shot(page, f"accepted-{width}")

        # first login lands on 我的机构 → 机构信息
        page.get_by_role("link", name="登录", exact=True).click()
        page.fill("#id_username", f"yiyang_{who}")
        page.fill("#id_password", PASSWORD)
        page.locator('form button[type="submit"]').click()
        page.wait_for_url(live_server.url + reverse("incubator_portal_organization"))
        registry = page.get_by_test_id("bank-account")
        assert registry.inner_text().strip() == "6222 **** **** 1234"
        assert "6222021234561234" not in page.content()
        assert f"yiyang_{who}" in page.get_by_test_id("members").inner_text()
        assert _fits(page)
        _shot(page, f"organization-{width}")

        # 我的孵化: stage, milestones; 申请确认 on the first open milestone
        page.goto(live_server.url + reverse("incubator_portal_incubation"))
        assert "入驻" in page.get_by_test_id("stage").inner_text()
        assert _fits(page)
        _shot(page, f"incubation-{width}")
        if who == "lead":
            row = page.locator(f'tr[data-milestone="{first.pk}"]')
            row.get_by_role("link", name="申请确认").click()
            page.fill("#id_note", "已取得登记证书，复印件已交基地存档。")
            assert _fits(page)
            _shot(page, f"claim-{width}")
            page.get_by_role("button", name="提交确认申请").click()
            page.wait_for_url(live_server.url + reverse("incubator_portal_incubation"))
            assert "待确认" in row.get_by_test_id("claim-status").inner_text()
        page.context.close()

    claim = MilestoneClaim.objects.get()
    assert claim.status == ClaimStatus.CLAIMED
    assert claim.claimed_by.username == "yiyang_lead"
