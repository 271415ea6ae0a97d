"""Accessibility rules the server keeps (GB/T 37668-2019, WCAG 2.1 AA): images
need a text alternative that is not a file name, each chart has a text summary
and names its table, the 500 page needs no database, and every page links its
print stylesheet and large-text script."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

pytestmark = pytest.mark.django_db

FILE_NAME = "IMG_20240315_0932"


@pytest.fixture
def photo(db):
    return Image.objects.create(title=FILE_NAME, file=get_test_image_file())


def _img_alts(html):
    return re.findall(r'<img[^>]*\balt="([^"]*)"', html)


def test_cover_image_needs_a_description_or_decorative(cms_site, photo):
    from cms.models import NewsPage

    page = NewsPage(title="社区食堂开张", slug="canteen", cover_image=photo)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as missing:
        page.clean()
    assert missing.value.message_dict["cover_alt"] == [
        "请说明封面图片的内容（不要填写文件名），或将其标记为装饰性图片。"
    ]
    page.cover_alt = FILE_NAME  # what the image's title offers: refused too
    with pytest.raises(ValidationError) as named:
        page.clean()
    assert "cover_alt" in named.value.message_dict
    page.cover_alt = "photo.jpg"
    with pytest.raises(ValidationError):
        page.clean()
    page.cover_alt = "老人在社区食堂用午餐"
    page.clean()
    decorative = NewsPage(
        title="装饰", slug="decor", cover_image=photo, cover_decorative=True
    )
    decorative.clean()


def test_cover_image_is_rendered_with_its_description(
    client, make_news, photo, make_showcase
):
    described = make_news(cover_image=photo, cover_alt="老人在社区食堂用午餐")
    assert _img_alts(client.get(described.url).content.decode()) == [
        "老人在社区食堂用午餐"
    ]
    decorative = make_news(cover_image=photo, cover_decorative=True)
    assert _img_alts(client.get(decorative.url).content.decode()) == [""]


def test_story_image_alt_is_never_the_file_name(client, make_showcase, photo):
    """A story image stored before alt text was required (a bare image id, for
    which Wagtail offers the title — the file name — as alt text) is rendered
    with alt="" rather than IMG_20240315_0932; one with the editor's words keeps
    them; the image's own description is used when the block has none."""
    other = Image.objects.create(
        title="DSC01234", file=get_test_image_file(), description="孵化基地开放办公区"
    )
    legacy = json.dumps(
        [
            {"type": "image", "value": {"image": photo.pk, "caption": "旧图"}},
            {"type": "image", "value": {"image": other.pk, "caption": ""}},
        ]
    )
    html = client.get(make_showcase(story=legacy).url).content.decode()
    assert _img_alts(html) == ["", "孵化基地开放办公区"]
    assert FILE_NAME not in html and "DSC01234" not in html
    described = json.dumps(
        [
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": photo.pk,
                        "decorative": False,
                        "alt_text": "社工为老人测量血压",
                    },
                    "caption": "",
                },
            }
        ]
    )
    html = client.get(make_showcase(story=described).url).content.decode()
    assert _img_alts(html) == ["社工为老人测量血压"]
    assert FILE_NAME not in html


def test_story_image_block_refuses_a_file_name_as_alt_text(photo):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from cms.blocks import DescribedImageBlock

    block = DescribedImageBlock()
    for alt in (FILE_NAME, "微信图片_20240315", "封面.jpg"):
        value = block.to_python(
            {"image": photo.pk, "decorative": False, "alt_text": alt}
        )
        with (
            translation.override("zh-hans"),
            pytest.raises(StructBlockValidationError) as refused,
        ):
            block.clean(value)
        assert refused.value.block_errors["alt_text"].messages == [
            "这是文件名，不是图片说明：请说明图片的内容，或将其标记为装饰性图片。"
        ]
    fine = block.to_python(
        {"image": photo.pk, "decorative": False, "alt_text": "社工为老人测量血压"}
    )
    assert block.clean(fine).contextual_alt_text == "社工为老人测量血压"
    decorative = block.to_python({"image": photo.pk, "decorative": True})
    assert block.clean(decorative).decorative


def test_each_chart_has_a_summary_and_names_its_table(
    client, cms_site, organization_mix
):
    html = client.get(cms_site["statistics"].url).content.decode()
    chart = re.search(
        r'<div class="chart" data-chart="chart-data-organizations_by_type"[^>]*>', html
    )
    assert chart is not None
    assert 'aria-describedby="table-organizations_by_type"' in chart.group(0)
    assert 'aria-label="图表：社会组织类型分布"' in chart.group(0)
    assert 'id="table-organizations_by_type"' in html
    summary = re.search(r'id="summary-organizations_by_type">([^<]+)<', html)
    # 7 registered: 2 social groups, 1 foundation, 3 service agencies, 1 community.
    assert summary.group(1) == (
        "共4项，合计7家。最多的是社会服务机构：3家。其次是社会团体：2家。"
    )


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/news/")
    with translation.override("zh-hans"), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "网站出错了" in html and "请过几分钟再试" in html
    assert 'href="/"' in html


def test_every_page_links_the_print_stylesheet_and_large_text_script(client, cms_site):
    for key in ("home", "news", "showcase", "statistics"):
        html = client.get(cms_site[key].url).content.decode()
        assert re.search(
            r'<link rel="stylesheet" href="[^"]*cms/css/print\.css[^"]*" media="print">',
            html,
        )
        assert re.search(r'<script src="[^"]*cms/js/site\.js[^"]*"></script>', html)
        assert re.search(
            r'<button type="button" class="textsize"[^>]*>大字版</button>', html
        )
        assert 'aria-expanded="false" aria-controls="mainnav-list"' in html
        assert 'type="checkbox"' not in html
