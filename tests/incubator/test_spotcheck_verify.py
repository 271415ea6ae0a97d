"""`spotcheck_verify`: a drawn campaign re-derives from its record (一致); a
tampered record does not (不一致). Also the service the command calls."""

import io

import pytest
from django.core.management import call_command

from incubator.models import SpotCheck
from incubator.services.spotchecks import spotcheck_campaign_draw, spotcheck_verify
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401


@pytest.fixture
def drawn(province_scope):  # noqa: F811
    campaign, orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user)
    campaign.refresh_from_db()
    return campaign, orgs


def _verify(campaign):
    out = io.StringIO()
    code = 0
    try:
        call_command("spotcheck_verify", str(campaign.pk), stdout=out)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_the_command_says_consistent(drawn):
    campaign, _orgs = drawn
    code, text = _verify(campaign)
    assert code == 0
    assert text.strip().endswith("一致")
    assert campaign.seed in text
    assert spotcheck_verify(campaign).consistent


def test_a_swapped_organization_is_inconsistent(drawn):
    campaign, orgs = drawn
    check = campaign.checks.order_by("position").last()
    drawn_ids = set(campaign.checks.values_list("organization_id", flat=True))
    other = next(o for o in orgs if o.pk not in drawn_ids)
    SpotCheck.objects.filter(pk=check.pk).update(organization=other)
    code, text = _verify(campaign)
    assert code == 1
    assert "不一致" in text


def test_an_edited_candidate_list_breaks_the_hash(drawn):
    campaign, _orgs = drawn
    campaign.candidates = campaign.candidates[:-1]
    campaign.save()
    result = spotcheck_verify(campaign)
    assert not result.consistent
    assert any("哈希" in str(p) or "hash" in str(p) for p in result.problems)


def test_a_changed_inspector_is_inconsistent(drawn):
    campaign, _orgs = drawn
    check = campaign.checks.order_by("position").first()
    pool = list(campaign.pool["inspectors"])
    unused = next(
        pk
        for pk, _unit in pool
        if pk not in check.inspectors.values_list("pk", flat=True)
    )
    check.inspectors.set(
        [unused, *list(check.inspectors.values_list("pk", flat=True))[1:]]
    )
    assert not spotcheck_verify(campaign).consistent


def test_a_registry_change_after_the_draw_does_not_matter(drawn, make_organization):
    campaign, _orgs = drawn
    from core.models import Region

    make_organization(
        registration_level="province", region=Region.objects.get(code="430111")
    )
    code, _text = _verify(campaign)
    assert code == 0  # the recorded candidate list, not today's registry
