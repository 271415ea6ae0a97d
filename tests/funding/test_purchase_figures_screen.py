"""The purchase figures screen as the fund manager sees it: the year is a choice
of the years the purchases cover (the bare text box was invisible in the admin),
the table scrolls sideways inside its box on a phone (it ran out of the window at
390 px), and an install without purchases says so instead of "–年（共0年）"."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


def test_the_year_is_chosen_among_the_purchase_years(client_for, make_purchase):
    make_purchase(amount=Decimal("1200000"))
    make_purchase(
        amount=Decimal("350000.50"),
        schedule=((Decimal("350000.50"), True),),
        signed_on=datetime.date(2024, 3, 1),
    )
    page = (
        client_for(roles.FUND_MANAGER)
        .get(reverse("funding_purchase_rollup"), {"year": "2024"})
        .content.decode()
    )

    select = re.search(r'<select name="year"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)<', select)
    assert options == [
        ("", "", "全部年度"),
        ("2024", " selected", "2024"),
        ("2023", "", "2023"),
    ]
    assert '<input name="year"' not in page
    assert "全部购买服务：155.00万元，2023–2024年（共2年）" in page
    box = re.search(
        r'<div class="table-scroll" data-testid="purchase-rollup-scroll">\s*'
        r'<table class="listing">(.*?)</table>\s*</div>',
        page,
        re.S,
    )
    table = box.group(1)
    assert "<td>35.00</td>" in table  # 350,000.50 元 in 万元


def test_no_purchase_yet(client_for):
    page = (
        client_for(roles.FUND_MANAGER)
        .get(reverse("funding_purchase_rollup"))
        .content.decode()
    )
    assert "尚未登记政府购买服务。" in page
    assert "共0年" not in page
