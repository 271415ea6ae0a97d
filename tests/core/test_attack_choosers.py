"""Attack on the choosers: a tampered id in a chooser URL ("abc", "1 OR 1=1",
an emoji) is a record that does not exist — 404, or nothing chosen — never a
server error."""

import pytest
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db

CHOSEN = "wagtailsnippetchoosers_core_region:chosen"
CHOSEN_MULTIPLE = "wagtailsnippetchoosers_core_region:chosen_multiple"


@pytest.mark.parametrize("pk", ["abc", "1 OR 1=1", "-", "🙂"])
def test_a_malformed_id_in_the_chosen_url_is_not_found(client_for, pk):
    manager = client_for(roles.FUND_MANAGER)
    response = manager.get(reverse(CHOSEN, args=[pk]))
    assert response.status_code == 404


def test_malformed_ids_in_chosen_multiple_choose_nothing(client_for):
    from core.models import Region

    yiyang = Region.objects.get(code="430900")
    manager = client_for(roles.FUND_MANAGER)
    response = manager.get(
        reverse(CHOSEN_MULTIPLE), {"id": ["abc", str(yiyang.pk), "1 OR 1=1"]}
    )
    assert response.status_code == 200
    chosen = response.json()["result"]
    assert [item["string"] for item in chosen] == ["湖南省益阳市"]
