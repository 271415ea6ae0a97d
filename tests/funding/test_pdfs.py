"""The printed documents: score sheets, the ranking with the
funding line, the public notice and the award letter as PDF — their Chinese text,
figures with thousands separators, document numbers (stable on reprint, the next
one for a new document), page numbers, and who may print which."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core import roles
from core.pdf import LocalOnlyFetcher, render_pdf, static_roots
from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus, ShortfallRule
from funding.models import DocumentNumber, Review
from funding.services.funding_line import funding_line_apply, funding_line_draw
from funding.services.notices import notice_close, notice_publish
from funding.services.reviews import review_submit
from funding.services.tranches import award_schedule_set
from tests.fixtures.funding import score_form

pytestmark = pytest.mark.django_db

D = Decimal
HTML_NAME = "<script>alert(1)</script>益阳社工"


def pdf_text(response):
    """The text of a PDF response, every page, with pypdf (spaces dropped: the
    layout puts them between CJK runs)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


@pytest.fixture
def world(fund, make_call, make_application, make_organization, make_reviewer, manager):
    """The issue's kind of call: budget 250,000 yuan, three applications reviewed by
    周敏 and 李强; the line (skip rule) funds 120,000 + 100,000 and skips the
    80,000 one; the two funded go through the public notice to awarded."""
    fund.issuing_department = "湖南省民政厅"
    fund.document_prefix = "湘民福彩"
    fund.save()
    call = make_call(
        name="2026年度福彩公益金资助项目",
        total_budget=D("250000"),
        max_per_award=D("150000"),
        reviewers_per_application=2,
        blind_review=False,
    )
    zhou = make_reviewer("zhoumin", first_name="敏", last_name="周")
    li = make_reviewer("liqiang", first_name="强", last_name="李")
    plan = [
        ("乡村儿童阅读", "长沙市阳光社会工作服务中心", D("120000"), (30, 38, 28)),
        ("社区居家养老", "株洲市夕阳红养老服务中心", D("100000"), (27, 35, 26)),
        ("残障青年就业", HTML_NAME, D("80000"), (20, 30, 20)),
    ]
    apps = {}
    for title, org_name, requested, scores in plan:
        app = make_application(
            call=call,
            title=title,
            organization=make_organization(name=org_name),
            requested_amount=requested,
            status=S.IN_REVIEW,
        )
        for expert in (zhou, li):
            review = Review.objects.create(application=app, reviewer=expert)
            review_submit(
                review,
                user=expert,
                scores=score_form(call, scores),
                recommendation="fund",
                comment=f"{expert.last_name}{expert.first_name}的意见",
            )
        app.refresh_from_db()
        apps[title] = app
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="按排名资助，余额不足跳过", user=manager
    )
    funding_line_apply(line, user=manager)
    notice = notice_publish(
        call,
        title="2026年度福彩公益金资助项目立项公示",
        starts_on=datetime.date(2026, 6, 1),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-84000000",
        user=manager,
    )
    notice_close(notice, user=manager, on=datetime.date(2026, 6, 8))
    for app in apps.values():
        app.refresh_from_db()
    award = apps["乡村儿童阅读"].award
    award_schedule_set(
        award, [(D("60"), "signing", ""), (D("40"), "final", "")], user=manager
    )
    return {
        "call": call,
        "apps": apps,
        "zhou": zhou,
        "li": li,
        "line": line,
        "notice": notice,
        "award": award,
    }


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_world_is_the_issue_story(world):
    apps = world["apps"]
    assert apps["乡村儿童阅读"].status == S.AWARDED
    assert apps["社区居家养老"].status == S.AWARDED
    assert apps["残障青年就业"].status == S.REJECTED


def test_ranking_prints_the_line_with_cumulative_amounts(world, manager):
    text = pdf_text(
        login(manager).get(reverse("funding_ranking_pdf", args=[world["call"].pk]))
    )
    assert "湖南省民政厅" in text
    assert "湘民福彩〔2026〕1号" in text
    assert "2026年度福彩公益金资助项目" in text
    for figure in ("250,000.00", "120,000.00", "220,000.00", "30,000.00"):
        assert figure in text
    # the ruled line stands between the last funded and the skipped application
    assert (
        text.index("社区居家养老") < text.index("资助线") < text.index("残障青年就业")
    )
    assert HTML_NAME.replace(" ", "") in text
    assert "第1页共1页" in text


def test_score_sheet_of_the_expert(world):
    zhou = world["zhou"]
    review = Review.objects.get(
        reviewer=zhou, application=world["apps"]["乡村儿童阅读"]
    )
    text = pdf_text(
        login(zhou).get(reverse("funding_score_sheet_pdf", args=[review.pk]))
    )
    assert "湘民福彩评〔2026〕1号" in text
    assert "长沙市阳光社会工作服务中心" in text
    assert "乡村儿童阅读" in text
    # 30/30·30 + 38/40·40 + 28/30·30 over 100 → 96
    for part in ("项目必要性", "实施方案", "组织能力", "96", "周敏", "周敏的意见"):
        assert part in text
    assert "利益冲突" in text
    assert "签名" in text
    assert "李强" not in text  # never another reviewer's sheet


def test_number_is_kept_on_reprint_and_next_for_a_new_document(world, manager):
    client = login(manager)
    url = reverse("funding_ranking_pdf", args=[world["call"].pk])
    first = pdf_text(client.get(url))
    notice = pdf_text(
        client.get(reverse("funding_notice_pdf", args=[world["notice"].pk]))
    )
    again = pdf_text(client.get(url))
    assert "湘民福彩〔2026〕1号" in first
    assert "湘民福彩〔2026〕1号" in again
    assert "湘民福彩〔2026〕2号" in notice
    assert DocumentNumber.objects.filter(series="湘民福彩").count() == 2


def test_all_score_sheets_of_the_call_for_the_manager(world, manager):
    text = pdf_text(
        login(manager).get(
            reverse("funding_call_score_sheets_pdf", args=[world["call"].pk])
        )
    )
    for n in range(1, 7):
        assert f"湘民福彩评〔2026〕{n}号" in text
    assert "周敏" in text and "李强" in text
    assert "第6页共6页" in text


def test_notice_lists_the_awards_period_and_contact(world, manager):
    text = pdf_text(
        login(manager).get(reverse("funding_notice_pdf", args=[world["notice"].pk]))
    )
    assert "2026年度福彩公益金资助项目立项公示" in text
    assert "长沙市阳光社会工作服务中心" in text
    assert "120,000.00" in text and "100,000.00" in text
    assert "220,000.00" in text
    assert "2026年6月1日" in text and "2026年6月5日" in text
    assert "0731-84000000" in text
    assert "残障青年就业" not in text


def test_award_letter(world, manager):
    text = pdf_text(
        login(manager).get(
            reverse("funding_award_letter_pdf", args=[world["award"].pk])
        )
    )
    assert "立项通知书" in text
    assert "长沙市阳光社会工作服务中心" in text
    assert "120,000.00" in text
    assert "72,000.00" in text and "48,000.00" in text  # 60 % and 40 %
    assert "湘民福彩〔2026〕1号" in text


def test_html_in_a_name_prints_literally(world, manager):
    text = pdf_text(
        login(manager).get(reverse("funding_ranking_pdf", args=[world["call"].pk]))
    )
    assert "<script>alert(1)</script>益阳社工" in text


def test_a_fund_without_prefix_prints_nothing_and_says_why(world, manager, fund):
    fund.document_prefix = ""
    fund.save()
    client = login(manager)
    response = client.get(
        reverse("funding_ranking_pdf", args=[world["call"].pk]), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "机关代字" in response.content.decode()
    assert not DocumentNumber.objects.exists()


# --- who may print what (DESIGN.md §1, §3; docs/permissions.md) ---------------------


def test_reviewer_prints_only_her_own_sheet(world):
    zhou, li = world["zhou"], world["li"]
    others = Review.objects.get(reviewer=li, application=world["apps"]["乡村儿童阅读"])
    response = login(zhou).get(reverse("funding_score_sheet_pdf", args=[others.pk]))
    assert response.status_code == 404
    assert not DocumentNumber.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.FUND_MANAGER, True),
        (roles.ADMINISTRATOR, True),
        (roles.FINANCE, False),
        (roles.REVIEWER, False),
        (roles.OPERATOR, False),
        (roles.COORDINATOR, False),
        (roles.EDITOR, False),
    ],
)
def test_ranking_notice_letter_and_sheets_by_role(world, client_for, role, allowed):
    """The call's documents are the fund manager's work (and the administrator's);
    finance reads awards but does not issue their letters."""
    client = client_for(role)
    urls = [
        reverse("funding_ranking_pdf", args=[world["call"].pk]),
        reverse("funding_call_score_sheets_pdf", args=[world["call"].pk]),
        reverse("funding_notice_pdf", args=[world["notice"].pk]),
        reverse("funding_award_letter_pdf", args=[world["award"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        if allowed:
            assert response["Content-Type"] == "application/pdf", url
        else:
            assert response.status_code == 302, url
            assert response["Location"] != url
            assert "pdf" not in response.get("Content-Type", "")
    assert DocumentNumber.objects.exists() == allowed


def test_public_notice_pdf_only_once_its_page_is_live(world, make_notice_page):
    url = reverse("funding_public_notice_pdf", args=[world["notice"].pk])
    anonymous = Client()
    assert anonymous.get(url).status_code == 404  # no page publishes it
    page = make_notice_page(world["notice"])
    assert url in anonymous.get(page.url).content.decode()  # the page links it
    text = pdf_text(anonymous.get(url))
    assert "长沙市阳光社会工作服务中心" in text
    assert "0731-84000000" in text
    page.unpublish()
    assert anonymous.get(url).status_code == 404  # taken down: gone for the public


def test_a_letter_waits_for_the_award(world, manager):
    """While the public notice runs no award is made yet: no letter, no number."""
    app = world["apps"]["乡村儿童阅读"]
    type(app).objects.filter(pk=app.pk).update(status=S.IN_PUBLIC_NOTICE)
    response = login(manager).get(
        reverse("funding_award_letter_pdf", args=[world["award"].pk]), follow=True
    )
    assert "公示结束" in response.content.decode()
    assert not DocumentNumber.objects.exists()


def test_the_screens_link_to_their_documents(world, manager):
    """Where people need them: the call desk, the award desk and the notice listing
    (fund manager); the review screen and 我的评审 (the expert, her own sheet)."""
    client = login(manager)
    call, award, notice = world["call"], world["award"], world["notice"]
    desk = client.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert reverse("funding_ranking_pdf", args=[call.pk]) in desk
    assert reverse("funding_call_score_sheets_pdf", args=[call.pk]) in desk
    assert "6 份评审意见表" in desk
    award_desk = client.get(
        reverse("funding_award_desk", args=[award.pk])
    ).content.decode()
    assert reverse("funding_award_letter_pdf", args=[award.pk]) in award_desk
    assert reverse("funding_notice_pdf", args=[notice.pk]) in award_desk
    listing = client.get(
        reverse("wagtailsnippets_funding_publicnotice:list")
    ).content.decode()
    assert reverse("funding_notice_pdf", args=[notice.pk]) in listing
    zhou = world["zhou"]
    own = Review.objects.filter(reviewer=zhou).order_by("pk")
    expert = login(zhou)
    screen = expert.get(reverse("funding_review_score", args=[own[0].pk]))
    assert (
        reverse("funding_score_sheet_pdf", args=[own[0].pk]) in screen.content.decode()
    )
    listed = expert.get(reverse("funding_my_reviews")).content.decode()
    for review in own:
        assert reverse("funding_score_sheet_pdf", args=[review.pk]) in listed
    others = Review.objects.exclude(reviewer=zhou)
    for review in others:
        assert reverse("funding_score_sheet_pdf", args=[review.pk]) not in listed


# --- the renderer -----------------------------------------------------------------


def test_renderer_refuses_every_non_local_url():
    fetcher = LocalOnlyFetcher(static_roots())
    for url in (
        "http://example.org/x.png",
        "https://cdn.example.org/font.woff",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_renderer_leaves_a_remote_image_out(monkeypatch):
    """An <img> to another host is never requested (the fetcher refuses it)."""
    asked = []
    monkeypatch.setattr(
        "weasyprint.urls.URLFetcher.open",
        lambda self, *a, **k: asked.append(a),
    )
    pdf = render_pdf('<p>公示</p><img src="http://example.org/x.png">')
    assert pdf.startswith(b"%PDF")
    assert asked == []


def test_review_status_is_the_one_printed(world):
    """Only submitted reviews have a sheet: a withdrawn one answers 404."""
    zhou = world["zhou"]
    review = Review.objects.filter(reviewer=zhou).first()
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.WITHDRAWN)
    response = login(zhou).get(reverse("funding_score_sheet_pdf", args=[review.pk]))
    assert response.status_code == 404
