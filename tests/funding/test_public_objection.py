"""The objection form of a public notice (公示): any visitor may send one while the
notice runs, at most 3 a day from one address; the contact reaches the fund
manager only; a replayed form creates nothing; a closed notice refuses."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Notification, NotificationKind
from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

CONTACT = "13800001111 张先生家"
CONTENT = "该机构去年的项目未按协议完成，服务对象名单有重复，请核查。"


@pytest.fixture
def notice_world(cms_site, approved_application, manager):
    """A notice running today (5 working days from today) with two projects, and
    its live page on the public site."""
    from cms.models import AwardNoticePage
    from funding.services.notices import notice_publish

    first = approved_application(Decimal("80000"), title="社区养老服务项目")
    fund = first.call.fund
    fund.issuing_department = "湖南省民政厅"
    fund.document_prefix = "湘民福彩"
    fund.save()
    approved_application(Decimal("50000"), title="留守儿童关爱项目")
    notice = notice_publish(
        first.call,
        title="2026年度福彩公益金资助项目立项公示",
        starts_on=timezone.localdate(),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-00000000",
        user=manager,
    )
    page = AwardNoticePage(title=notice.title, slug="notice-test", notice=notice)
    cms_site["home"].add_child(instance=page)
    page.save_revision().publish()
    return {"notice": notice, "award": first.award, "page": page}


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def _url(notice):
    return reverse("funding_public_objection", args=[notice.pk])


def _form(client, notice):
    """GET the form; return the POST data of a filled form with its token."""
    response = client.get(_url(notice))
    assert response.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return {"token": token.group(1), "objector": "张三", "contact": CONTACT}


def _send(client, notice, award, address="203.0.113.9", **extra):
    data = _form(client, notice)
    data.update({"award": award.pk, "content": CONTENT, **extra})
    return client.post(_url(notice), data, REMOTE_ADDR=address), data


def test_a_visitor_sends_an_objection_and_the_fund_manager_is_told(
    client, notice_world, manager
):
    from funding.models import Objection

    notice, award = notice_world["notice"], notice_world["award"]
    page = visible_text(client.get(notice_world["page"].url))
    assert "在线提出异议" in page

    form = visible_text(client.get(_url(notice)))
    assert "提出异议" in form and "社区养老服务项目" in form
    response, _data = _send(client, notice, award)
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    assert "异议已收到" in visible_text(client.get(response["Location"]))

    objection = Objection.objects.get()
    assert objection.award == award
    assert (objection.objector, objection.contact) == ("张三", CONTACT)
    assert objection.content == CONTENT
    assert objection.submitted_online
    assert objection.received_on == timezone.localdate()
    # the address is never stored, only its 64-character keyed hash
    assert "203.0.113.9" not in objection.client_hash
    assert len(objection.client_hash) == 64
    assert objection.history.count() == 1
    told = Notification.objects.get(kind=NotificationKind.OBJECTION_RECEIVED)
    assert told.recipient == manager
    assert "张三" in told.title


def test_the_contact_is_never_shown_publicly(client, notice_world):
    notice, award = notice_world["notice"], notice_world["award"]
    _send(client, notice, award)
    page = client.get(notice_world["page"].url).content.decode()
    assert CONTACT not in page and "13800001111" not in page
    pdf = client.get(reverse("funding_public_notice_pdf", args=[notice.pk]))
    text = pdf_text(pdf)
    assert "社区养老服务项目" in text
    assert "13800001111" not in text and "张三" not in text
    assert "13800001111" not in client.get(_url(notice)).content.decode()


def test_the_fund_manager_sees_the_contact_at_the_award_desk(
    client, notice_world, client_for
):
    notice, award = notice_world["notice"], notice_world["award"]
    _send(client, notice, award)
    from core import roles

    desk = client_for(roles.FUND_MANAGER, username="desk_manager")
    text = visible_text(desk.get(reverse("funding_award_desk", args=[award.pk])))
    assert "张三" in text and CONTACT in text
    assert "公示页面在线提交" in text


def test_three_objections_a_day_from_one_address(client, notice_world):
    from funding.models import Objection

    notice, award = notice_world["notice"], notice_world["award"]
    for _n in range(3):
        response, _data = _send(client, notice, award)
        assert response.status_code == 302
    response, _data = _send(client, notice, award)
    assert response.status_code == 400
    assert "每个地址每天最多提交 3 条异议" in visible_text(response)
    assert Objection.objects.count() == 3
    # another address is not limited by the first one's count
    response, _data = _send(client, notice, award, address="198.51.100.4")
    assert response.status_code == 302
    assert Objection.objects.count() == 4


def test_a_replayed_post_creates_one_objection(client, notice_world):
    from funding.models import Objection

    notice, award = notice_world["notice"], notice_world["award"]
    response, data = _send(client, notice, award)
    assert response.status_code == 302
    again = client.post(_url(notice), data, REMOTE_ADDR="198.51.100.7")
    assert again.status_code == 302
    assert again["Location"].endswith("?sent=1")
    assert Objection.objects.count() == 1


def test_a_forged_token_is_refused(client, notice_world):
    from funding.models import Objection

    notice, award = notice_world["notice"], notice_world["award"]
    response, _data = _send(client, notice, award, token="forged")
    assert response.status_code == 400
    assert "表单已过期或无效" in visible_text(response)
    assert Objection.objects.count() == 0


def test_a_closed_notice_refuses_with_a_clear_message(client, notice_world, manager):
    from funding.models import Objection, PublicNotice

    notice, award = notice_world["notice"], notice_world["award"]
    data = _form(client, notice)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=yesterday - datetime.timedelta(days=6), ends_on=yesterday
    )
    text = visible_text(client.get(_url(notice)))
    assert f"公示期已于 {yesterday:%Y-%m-%d} 结束" in text
    assert 'name="content"' not in client.get(_url(notice)).content.decode()
    assert "在线提出异议" not in visible_text(client.get(notice_world["page"].url))
    data.update(award=award.pk, content=CONTENT)
    response = client.post(_url(notice), data)
    assert response.status_code == 400
    assert "不再受理在线异议" in visible_text(response)
    assert Objection.objects.count() == 0


def test_empty_or_too_long_content_is_refused_and_the_text_kept(client, notice_world):
    from funding.models import Objection

    notice, award = notice_world["notice"], notice_world["award"]
    response, _data = _send(client, notice, award, content="太短")
    assert response.status_code == 400
    assert "至少" in visible_text(response)
    long_text = "异" * 2001
    response, _data = _send(client, notice, award, content=long_text)
    assert response.status_code == 400
    html = response.content.decode()
    assert long_text in html  # what the visitor wrote is not lost
    assert Objection.objects.count() == 0


def test_csrf_is_enforced(notice_world):
    from funding.models import Objection

    strict = Client(enforce_csrf_checks=True)
    notice, award = notice_world["notice"], notice_world["award"]
    data = _form(strict, notice)
    data.update(award=award.pk, content=CONTENT)
    strict.cookies.clear()
    response = strict.post(_url(notice), data)
    assert response.status_code == 403
    assert Objection.objects.count() == 0


def test_a_notice_without_a_live_page_is_not_found(client, award_on_notice):
    notice = award_on_notice.notice
    assert client.get(_url(notice)).status_code == 404
