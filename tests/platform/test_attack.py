"""The product attacked from outside, with each role's account and raw requests: the
holes found, each as the user meets it (what the screen says, what is stored).

- an image upload that starts like a GIF but holds a page (`GIF89a<script>…`):
  Wagtail's image screens answered 500, and outcome evidence took it as a
  “verified image” shown inline;
- the purchase edit form: removing an instalment that has a payment answered 500,
  and moving the unpaid 尾款 before a paid first instalment let the payment order
  (instalments are paid in order) be turned around.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from core import roles
from funding.models.purchases import PaymentInstalment, PurchasePayment
from funding.services import purchases as purchase_services
from projects.models import OutcomeEvidence, OutcomeReport
from tests.core import test_uploads as uploads
from tests.core.test_uploads import _report_with_evidence, png_bytes, stored_files

pytestmark = pytest.mark.django_db

# the upload tests' fixtures: files on disk, a coordinator with a project
disk = uploads.disk
coordinator = uploads.coordinator

# A GIF's magic number, then a page: what `filetype` calls a GIF.
GIF_POLYGLOT = b"GIF89a<script>fetch('/admin/users/add/')</script>" + b"\x00" * 20
NOT_AN_IMAGE = "请上传一张有效的图片"  # Django's invalid_image message in Chinese
EVIDENCE_NOT_AN_IMAGE = "无法作为图片打开"  # core.uploads.NOT_AN_IMAGE


# --- images: a header is not an image ------------------------------------------------


@pytest.fixture
def editor(client_for):
    from core.roles import public_collection

    client = client_for(roles.EDITOR)
    client.collection = public_collection()
    return client


def test_image_screen_refuses_a_gif_header_holding_a_page(editor, disk):
    response = editor.post(
        reverse("wagtailimages:add"),
        {
            "title": "海报",
            "collection": editor.collection.pk,
            "file": SimpleUploadedFile("poster.gif", GIF_POLYGLOT),
        },
    )

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(disk) == []


def test_multiple_and_chooser_image_uploads_refuse_it_too(editor, disk):
    multiple = editor.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("poster.gif", GIF_POLYGLOT)},
    )
    assert multiple.status_code == 200
    assert NOT_AN_IMAGE in json.loads(multiple.content)["error_message"]

    chooser = editor.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "海报",
            "image-chooser-upload-collection": editor.collection.pk,
            "image-chooser-upload-file": SimpleUploadedFile("poster.gif", GIF_POLYGLOT),
        },
    )
    assert chooser.status_code == 200
    assert NOT_AN_IMAGE in json.loads(chooser.content)["htmlFragment"]
    assert not Image.objects.exists()
    assert stored_files(disk) == []


def test_replacing_an_image_with_a_gif_header_keeps_the_stored_one(editor, disk):
    editor.post(
        reverse("wagtailimages:add"),
        {
            "title": "海报",
            "collection": editor.collection.pk,
            "file": SimpleUploadedFile("poster.png", png_bytes()),
        },
    )
    image = Image.objects.get()
    stored = image.file.name

    response = editor.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": "海报",
            "collection": editor.collection.pk,
            "file": SimpleUploadedFile("poster.gif", GIF_POLYGLOT),
        },
    )

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    image.refresh_from_db()
    assert image.file.name == stored


def test_evidence_refuses_a_gif_header_holding_a_page(coordinator, indicators, disk):
    response = coordinator.post(
        reverse("wagtailsnippets_projects_outcomereport:add"),
        _report_with_evidence(
            coordinator.project,
            indicators["cabins_baby"],
            "plaque.gif",
            GIF_POLYGLOT,
            is_public=True,
        ),
    )

    assert response.status_code == 200
    assert EVIDENCE_NOT_AN_IMAGE in response.content.decode()
    assert not OutcomeReport.objects.exists()
    assert not OutcomeEvidence.objects.exists()
    assert stored_files(disk) == []


# --- purchases: a schedule with payments keeps its instalments and their order ------


def _purchase_form(purchase, rows):
    """The purchase edit form as the browser posts it (stored instalments first,
    new ones after, the position in ORDER); rows are (instalment or None, label,
    amount, is_final, ORDER, DELETE)."""
    data = {
        "title": purchase.title,
        "purchasing_department": purchase.purchasing_department,
        "region": "",
        "service_category": "basic_public",
        "procurement_method": "consultation",
        "contract_number": purchase.contract_number,
        "contract_amount": "500000",
        "signed_on": "2023-03-01",
        "starts_on": "2023-03-01",
        "ends_on": "2023-12-31",
        "supplier_kind": "social_org",
        "supplier": purchase.supplier_id,
        "supplier_name": "",
        "final_payment_needs_evaluation": "on",
        "deliverables-TOTAL_FORMS": "0",
        "deliverables-INITIAL_FORMS": "0",
        "deliverables-MIN_NUM_FORMS": "0",
        "deliverables-MAX_NUM_FORMS": "1000",
        "instalments-TOTAL_FORMS": str(len(rows)),
        "instalments-INITIAL_FORMS": str(purchase.instalments.count()),
        "instalments-MIN_NUM_FORMS": "1",
        "instalments-MAX_NUM_FORMS": "1000",
    }
    for i, (instalment, label, amount, final, order, delete) in enumerate(rows):
        data.update(
            {
                f"instalments-{i}-id": instalment.pk if instalment else "",
                f"instalments-{i}-label": label,
                f"instalments-{i}-due_on": "",
                f"instalments-{i}-amount": amount,
                f"instalments-{i}-ORDER": order,
            }
        )
        if final:
            data[f"instalments-{i}-is_final"] = "on"
        if delete:
            data[f"instalments-{i}-DELETE"] = "on"
    return data


@pytest.fixture
def paid_purchase(make_purchase, make_user):
    """500,000 yuan: 第1期 300,000 (100,000 paid by three people), 尾款 200,000."""
    purchase = make_purchase()
    first = purchase.instalments.get(label="第1期")
    payment = purchase_services.purchase_payment_record(
        purchase,
        instalment=first,
        amount=Decimal("100000"),
        user=make_user("recorder", roles.FUND_MANAGER),
    )
    purchase_services.purchase_payment_approve(
        payment,
        user=make_user("approver", roles.FUND_MANAGER),
        on=datetime.date(2023, 5, 1),
    )
    purchase_services.purchase_payment_pay(
        payment,
        user=make_user("payer", roles.FINANCE),
        voucher_number="2023-0501",
        paid_on=datetime.date(2023, 5, 1),
    )
    return purchase


def _schedule(purchase):
    return list(
        PaymentInstalment.objects.filter(purchase=purchase)
        .order_by("sort_order", "pk")
        .values_list("label", "amount", "is_final")
    )


STORED = [
    ("第1期", Decimal("300000.00"), False),
    ("尾款", Decimal("200000.00"), True),
]


def _text(response):
    return response.content.decode()


def test_an_instalment_with_a_payment_cannot_be_removed(client_for, paid_purchase):
    first, last = paid_purchase.instalments.order_by("sort_order")
    manager = client_for(roles.FUND_MANAGER)

    response = manager.post(
        reverse(
            "wagtailsnippets_funding_servicepurchase:edit", args=[paid_purchase.pk]
        ),
        _purchase_form(
            paid_purchase,
            [
                (first, "第1期", "300000", False, "1", True),
                (last, "尾款", "200000", True, "2", False),
                (None, "第1期（重录）", "300000", False, "3", False),
            ],
        ),
    )

    assert response.status_code == 200
    assert "已有付款记录的期次不能删除" in _text(response)
    assert _schedule(paid_purchase) == STORED
    assert PurchasePayment.objects.get().instalment == first


def test_the_unpaid_final_instalment_cannot_move_before_a_paid_one(
    client_for, paid_purchase
):
    first, last = paid_purchase.instalments.order_by("sort_order")
    manager = client_for(roles.FUND_MANAGER)

    response = manager.post(
        reverse(
            "wagtailsnippets_funding_servicepurchase:edit", args=[paid_purchase.pk]
        ),
        _purchase_form(
            paid_purchase,
            [
                (first, "第1期", "300000", False, "2", False),
                (last, "尾款", "200000", True, "1", False),
            ],
        ),
    )

    assert response.status_code == 200
    assert "各期次顺序不可更改" in _text(response)
    assert _schedule(paid_purchase) == STORED


def test_instalments_after_the_last_paid_one_may_still_change(
    client_for, paid_purchase
):
    """A contract amendment: the 尾款 split in two, both after the paid 第1期."""
    first, last = paid_purchase.instalments.order_by("sort_order")
    manager = client_for(roles.FUND_MANAGER)

    response = manager.post(
        reverse(
            "wagtailsnippets_funding_servicepurchase:edit", args=[paid_purchase.pk]
        ),
        _purchase_form(
            paid_purchase,
            [
                (first, "第1期", "300000", False, "1", False),
                (last, "尾款", "100000", True, "3", False),
                (None, "第2期", "100000", False, "2", False),
            ],
        ),
    )

    assert response.status_code == 302
    assert _schedule(paid_purchase) == [
        ("第1期", Decimal("300000.00"), False),
        ("第2期", Decimal("100000.00"), False),
        ("尾款", Decimal("100000.00"), True),
    ]


def test_a_gif_header_stored_before_the_check_is_a_download(
    client_for, coordinator, make_report, disk
):
    """Evidence stored before images had to open: the administrator gets a
    download of unknown type, not an “image” shown inline."""
    from django.core.files.base import ContentFile

    report = make_report(coordinator.project, 2024, 1, {"cabins_baby": "3"})
    evidence = OutcomeEvidence.objects.create(
        report=report,
        title="挂牌照片",
        file=ContentFile(GIF_POLYGLOT, name="plaque.gif"),
        is_public=True,
    )

    served = client_for(roles.ADMINISTRATOR).get(
        reverse("projects_evidence_file", args=[evidence.pk])
    )

    assert served.status_code == 200
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
