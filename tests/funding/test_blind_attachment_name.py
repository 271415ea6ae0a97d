"""Under blind review a reviewer sees each attachment by number — in Chinese
(附件1.pdf), on the scoring screen and in the downloaded file's name; the
English word "Attachment" (an f-string nobody could translate) is gone."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.funding.test_views import applicant, review_setup  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_blind_attachment_is_called_by_its_number_in_chinese(
    review_setup,  # noqa: F811
):
    _call, _app, expert, _other, review, _ = review_setup
    html = expert.get(reverse("funding_review_score", args=[review.pk])).content
    html = html.decode()
    assert "附件1.pdf" in html
    assert "Attachment" not in html
    download = expert.get(reverse("funding_review_attachment", args=[review.pk, 1]))
    assert quote("附件1.pdf") in download["Content-Disposition"]
