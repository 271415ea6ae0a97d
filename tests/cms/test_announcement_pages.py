"""公示公告 and 申报通知 on the public site: a notice published or a call created in
the admin gets its page (published at once or moderated, as the site settings
say), listed newest first with its state and period, and linked from the home
and statistics pages."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from tests.support.confirm import post_confirmed
from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

NOTICE_TITLE = "2023年度湖南省福彩公益金资助项目立项公示"


def _publish(client, app, *, title, starts_on, capture):
    with capture(execute=True):
        response = post_confirmed(
            client,
            reverse("wagtailsnippets_funding_publicnotice:add"),
            {
                "call": app.call.pk,
                "title": title,
                "starts_on": starts_on.isoformat(),
                "working_days": "5",
                "objection_contact": "省民政厅 0731-00000000",
            },
        )
    assert response.status_code == 302, visible_text(response)[:2000]


def test_notice_published_in_the_admin_is_listed_and_linked_from_home(
    portal,
    approved_application,
    client_for,
    client,
    django_capture_on_commit_callbacks,
):
    from cms.models import AwardNoticePage

    app = approved_application(Decimal("90000"))
    manager = client_for(roles.FUND_MANAGER)
    _publish(
        manager,
        app,
        title=NOTICE_TITLE,
        starts_on=datetime.date(2023, 6, 8),
        capture=django_capture_on_commit_callbacks,
    )

    page = AwardNoticePage.objects.get(notice__title=NOTICE_TITLE)
    assert page.live
    assert page.get_parent().pk == portal["notices"].pk

    listing = visible_text(client.get(portal["notices"].url))
    # Thursday 2023-06-08 + 5 working days ends on Wednesday 06-14; long over.
    assert f"{NOTICE_TITLE} 已结束 公示期：2023-06-08 至 2023-06-14" in listing

    home = client.get(portal["home"].url)
    html = home.content.decode()
    assert f'href="{page.url}"' in html
    assert f'href="{portal["notices"].url}"' in html  # the section and the menu
    assert f'href="{portal["calls"].url}"' in html
    assert "公示公告" in visible_text(home) and "申报通知" in visible_text(home)

    statistics = client.get(portal["statistics"].url).content.decode()
    assert f'href="{portal["notices"].url}"' in statistics
    assert f'href="{portal["calls"].url}"' in statistics


def test_a_running_notice_is_listed_first_and_says_so(
    portal,
    approved_application,
    make_call,
    client_for,
    client,
    django_capture_on_commit_callbacks,
):
    """Two notices of two calls: the one running today comes first, marked 公示中;
    the one that ended stays listed (已结束) below it."""
    old = approved_application(Decimal("90000"))
    new_call = make_call(name="2024年度福彩公益金资助项目")
    new = approved_application(Decimal("120000"), call=new_call)
    manager = client_for(roles.FUND_MANAGER)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _publish(
        manager,
        old,
        title=NOTICE_TITLE,
        starts_on=datetime.date(2023, 6, 8),
        capture=django_capture_on_commit_callbacks,
    )
    _publish(
        manager,
        new,
        title="2024年度福彩公益金资助项目立项公示",
        starts_on=yesterday,
        capture=django_capture_on_commit_callbacks,
    )
    response = client.get(portal["notices"].url)
    html = response.content.decode()
    states = re.findall(r'data-state="(\w+)"', html)
    assert states == ["running", "ended"]
    listing = visible_text(response)
    assert listing.index("2024年度福彩公益金资助项目立项公示 公示中") < listing.index(
        f"{NOTICE_TITLE} 已结束"
    )
    home = visible_text(client.get(portal["home"].url))
    assert "2024年度福彩公益金资助项目立项公示 公示中" in home


def test_moderated_department_gets_a_page_awaiting_moderation(
    portal,
    approved_application,
    client_for,
    client,
    django_capture_on_commit_callbacks,
):
    """With 提交页面审核 chosen, the notice's page waits for the moderator: not on
    the site until approved."""
    from wagtail.models import Site

    from cms.models import AnnouncementPublishing, AwardNoticePage, PublicSiteSettings
    from cms.moderation import moderation_ensure

    moderation_ensure()
    settings = PublicSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.announcement_publishing = AnnouncementPublishing.MODERATION
    settings.save()

    app = approved_application(Decimal("90000"))
    _publish(
        client_for(roles.FUND_MANAGER),
        app,
        title=NOTICE_TITLE,
        starts_on=datetime.date(2023, 6, 8),
        capture=django_capture_on_commit_callbacks,
    )
    page = AwardNoticePage.objects.get(notice__title=NOTICE_TITLE)
    assert not page.live
    assert page.workflow_in_progress
    assert NOTICE_TITLE not in visible_text(client.get(portal["notices"].url))


def test_call_created_in_the_admin_is_listed_in_calls(
    portal, fund, client_for, client, django_capture_on_commit_callbacks
):
    from cms.models import CallPage
    from tests.funding.test_views import _form_data

    manager = client_for(roles.FUND_MANAGER)
    url = reverse("wagtailsnippets_funding_call:add")
    data = _form_data(manager.get(url).context["form"])
    today = timezone.localdate()
    opens, closes = today - datetime.timedelta(days=3), today + datetime.timedelta(30)
    data.update(
        {
            "fund": fund.pk,
            "name": "2025年度湖南省福彩公益金项目",
            "opens_on": opens.isoformat(),
            "closes_on": closes.isoformat(),
            "total_budget": "7500000",
            "max_per_award": "150000",
            "eligible_levels": ["province", "city", "county"],
            "eligible_types": ["social_group", "social_service"],
            "reviewers_per_application": "3",
            "spread_threshold": "20",
            "public_notice_days": "5",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "1",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-name": "项目必要性",
            "criteria-0-weight": "100",
            "criteria-0-max_score": "100",
            "criteria-0-ORDER": "1",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url, data)
    assert response.status_code == 302, visible_text(response)[:2000]

    page = CallPage.objects.get(call__name="2025年度湖南省福彩公益金项目")
    assert page.live and page.get_parent().pk == portal["calls"].pk
    assert page.title == "关于组织申报2025年度湖南省福彩公益金项目的通知"
    listing = visible_text(client.get(portal["calls"].url))
    assert (
        f"{page.title} 申报中 申报时间：{opens.isoformat()} 至 {closes.isoformat()}"
        in listing
    )
    home = client.get(portal["home"].url).content.decode()
    assert f'href="{page.url}"' in home


def test_the_main_menu_has_both_sections(portal, client):
    html = client.get(portal["news"].url).content.decode()
    menu = html[html.index('id="mainnav-list"') :]
    menu = menu[: menu.index("</ul>")]
    assert re.findall(r">([^<]+)</a>", menu) == [
        "首页",
        "工作动态",
        "社会组织风采",
        "数据统计",
        "公示公告",
        "申报通知",
    ]


def test_a_failed_page_never_undoes_the_notice(
    portal,
    approved_application,
    client_for,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    """The page is made after the notice is committed; if making it fails, the
    notice stays published and the fund manager gets no error page."""
    from cms.services import announcements as service
    from funding.models import PublicNotice

    def broken(*args, **kwargs):
        raise RuntimeError("the page tree is locked")

    monkeypatch.setattr(service, "notice_page_ensure", broken)
    app = approved_application(Decimal("90000"))
    _publish(
        client_for(roles.FUND_MANAGER),
        app,
        title=NOTICE_TITLE,
        starts_on=datetime.date(2023, 6, 8),
        capture=django_capture_on_commit_callbacks,
    )
    notice = PublicNotice.objects.get(title=NOTICE_TITLE)
    assert not notice.pages.exists()
    monkeypatch.undo()
    assert service.announcement_pages_ensure() == {"calls": 1, "notices": 1}
    assert notice.pages.get().live


def test_setup_platform_gives_every_earlier_notice_its_page(
    portal,
    approved_application,
    client_for,
    client,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    """A 公示 published before the site made pages (or while making one failed)
    is on the site after the next `setup_platform`, which every deployment runs."""
    from django.core.management import call_command

    from cms.services import announcements as service
    from funding.models import PublicNotice

    monkeypatch.setattr(service, "notice_page_ensure", lambda *a, **k: None)
    monkeypatch.setattr(service, "call_page_ensure", lambda *a, **k: None)
    app = approved_application(Decimal("90000"))
    _publish(
        client_for(roles.FUND_MANAGER),
        app,
        title=NOTICE_TITLE,
        starts_on=datetime.date(2023, 6, 8),
        capture=django_capture_on_commit_callbacks,
    )
    notice = PublicNotice.objects.get(title=NOTICE_TITLE)
    assert not notice.pages.exists()
    monkeypatch.undo()
    out = io.StringIO()
    call_command("setup_platform", stdout=out)
    assert "1 call and 1 notice pages made" in out.getvalue()
    assert notice.pages.get().live
    assert NOTICE_TITLE in visible_text(client.get(portal["notices"].url))
    call_command("setup_platform", stdout=io.StringIO())  # again: nothing new
    assert notice.pages.count() == 1
