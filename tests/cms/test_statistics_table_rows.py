"""The rows of a statistics table are printed in one pass (`cms_tags.breakdown_rows`):
labels escaped, counts grouped by thousands, an empty table says so.
Rule: cms/selectors/figures.py `BreakdownResult.table_rows`."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _table(html, key):
    return re.search(rf'data-table="{key}">(.*?)</table>', html, re.S).group(1)


def test_a_label_with_markup_is_printed_as_text(
    client, cms_site, make_organization, service_fields
):
    from incubator.models import ServiceField

    odd = ServiceField.objects.create(name="助残&康复<试点>")
    organization = make_organization()
    organization.service_fields.set([odd, service_fields["养老"]])
    organization.save()

    html = client.get(cms_site["statistics"].url).content.decode()
    body = _table(html, "organizations_by_service_field")
    assert (
        '<th scope="row">助残&amp;康复&lt;试点&gt;</th><td class="num">1</td>' in body
    )
    assert '<th scope="row">养老</th><td class="num">1</td>' in body
    assert "<试点>" not in html


def test_an_empty_table_says_there_is_no_data(client, cms_site):
    html = client.get(cms_site["statistics"].url).content.decode()
    body = _table(html, "projects_by_category")
    assert '<tr><td colspan="2">暂无数据。</td></tr>' in body
    assert '<th scope="row">' not in body
