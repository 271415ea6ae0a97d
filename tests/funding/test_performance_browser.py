"""Performance evaluation by indicators in headless Chromium, Chinese UI, as a
fund manager at 1366 px and 390 px: the frameworks listing and an evaluation page
where an evaluator's scores are typed and saved (screenshots in
test-artifacts/performance/)."""

import datetime

import pytest
from django.urls import reverse

from core import roles
from funding.services.performance import indicator_evaluation_start
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _open
from tests.support.browser import settle
from tests.support.performance import framework_make

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "performance"
SCORES = ["9", "9", "9", "9", "18", "9", "18", "9"]  # 90.00


def test_the_fund_manager_scores_an_evaluation(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_purchase,
):
    manager = make_user("fm_wang", roles.FUND_MANAGER)
    framework = framework_make()
    evaluations = [
        indicator_evaluation_start(
            framework=framework,
            purchase=make_purchase(),
            evaluated_on=datetime.date(2024, 1, 15),
            user=manager,
        )
        for _width in (1366, 390)
    ]
    for width, evaluation in zip((1366, 390), evaluations, strict=True):
        page = _open(browser, live_server, "fm_wang", width)
        page.goto(
            live_server.url + reverse("wagtailsnippets_funding_indicatorframework:list")
        )
        assert "政府购买服务绩效评价指标" in page.locator("main").inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"frameworks-{width}.png", full_page=True)

        page.goto(
            live_server.url
            + reverse("funding_indicator_evaluation", args=[evaluation.pk])
        )
        page.fill("#id_evaluator", "张评估")
        for indicator, value in zip(framework.indicators.all(), SCORES, strict=True):
            field = page.locator(f"#id_score_{indicator.pk}")
            assert field.is_visible()
            field.fill(value)
        page.locator('[data-testid="sheet-form"] button[type="submit"]').click()
        settle(page)
        assert "90.00" in page.get_by_test_id("mean-total").inner_text()
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        page.screenshot(path=SHOTS / f"evaluation-{width}.png", full_page=True)
        page.get_by_role("link", name="完成评价").click()
        assert "90.00" in page.get_by_test_id("conclusion").inner_text()
        page.screenshot(path=SHOTS / f"conclude-{width}.png", full_page=True)
        page.context.close()
