"""The public pages: each type renders for an anonymous visitor, the showcase index
filters by region, service field and year of graduation, and the statistics table
matches the database."""

import re

from core.models import Region


def _titles(response):
    return re.findall(r'class="card__title">([^<]+)<', response.content.decode())


def _showcase_links(html):
    return re.findall(r'class="card__link" href="([^"]+)"', html)


def test_every_page_type_renders_for_the_public(
    client, cms_site, make_news, make_showcase
):
    news = make_news(title="七十家社会组织获得资助")
    showcase = make_showcase(graduation_year=2023)
    for page in [*cms_site.values(), news, showcase]:
        response = client.get(page.url)
        assert response.status_code == 200, page
        assert page.title in response.content.decode()


def test_home_lists_latest_news_and_showcases(
    client, cms_site, make_news, make_showcase
):
    make_news(title="旧闻", date="2020-01-01")
    make_news(title="新闻", date="2025-06-01")
    make_showcase(title="同心社工")
    html = client.get(cms_site["home"].url).content.decode()
    assert html.index("新闻") < html.index("旧闻")
    assert "同心社工" in html
    # The navigation lists the section pages.
    for key in ("news", "showcase", "statistics"):
        assert f'href="{cms_site[key].url}"' in html


def test_draft_news_is_not_public(client, cms_site, make_news):
    news = make_news(title="尚未发布的动态")
    news.unpublish()
    assert "尚未发布的动态" not in client.get(cms_site["news"].url).content.decode()
    assert client.get(news.url if news.url else "/news/x/").status_code == 404


def test_showcase_index_filters(
    client, cms_site, make_organization, make_showcase, service_fields
):
    changsha = Region.objects.get(code="430111")
    xiangxi = Region.objects.get(code="433127")
    xian = Region.objects.get(code="610113")
    a = make_organization(region=changsha)
    a.service_fields.set([service_fields["养老"]])
    a.save()
    b = make_organization(region=xiangxi)
    b.service_fields.set([service_fields["儿童"], service_fields["乡村振兴"]])
    b.save()
    c = make_organization(region=xian)
    c.service_fields.set([service_fields["乡村振兴"]])
    c.save()
    make_showcase(a, title="长沙养老", graduation_year=2021)
    make_showcase(b, title="湘西儿童", graduation_year=2023)
    make_showcase(c, title="西安乡村", graduation_year=2023)
    url = cms_site["showcase"].url

    def titles(**params):
        return sorted(_titles(client.get(url, params)))

    assert titles() == ["湘西儿童", "西安乡村", "长沙养老"]
    assert titles(region="430000") == ["湘西儿童", "长沙养老"]  # 湖南省
    assert titles(region="433100") == ["湘西儿童"]  # 湘西州
    assert titles(region="610000") == ["西安乡村"]
    assert titles(field=service_fields["乡村振兴"].pk) == ["湘西儿童", "西安乡村"]
    assert titles(year=2023) == ["湘西儿童", "西安乡村"]
    assert titles(region="430000", year=2023, field=service_fields["儿童"].pk) == [
        "湘西儿童"
    ]
    assert titles(year=2019) == []

    # Nonsense in the query string is ignored, never an error page.
    response = client.get(url, {"region": "湖南", "field": "x", "year": "二〇二三"})
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["湘西儿童", "西安乡村", "长沙养老"]

    # The filter choices offer only what has showcases.
    html = client.get(url).content.decode()
    assert 'value="430000"' in html and 'value="433100"' in html
    assert 'value="610100"' in html
    assert 'value="340000"' not in html  # 安徽省: no showcase
    assert f'value="{service_fields["社区治理"].pk}"' not in html
    assert '<option value="2021"' in html and '<option value="2022"' not in html


def test_showcase_index_paginates(client, cms_site, make_showcase):
    for n in range(14):
        make_showcase(title=f"社会组织{n:02d}", graduation_year=2020)
    url = cms_site["showcase"].url
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert len(_titles(first)) == 12
    assert len(_titles(second)) == 2
    assert client.get(url, {"page": "999"}).status_code == 200


def test_showcase_index_pages_hold_every_showcase_once_in_order(
    client, cms_site, make_showcase
):
    """Newest graduation year first, then by title; showcases alike in both
    (organizations of one name) keep one order, so none is shown on two
    pages or on none."""
    years = {f"社会组织{n:02d}": 2019 + n % 3 for n in range(14)}
    for title, year in years.items():
        make_showcase(title=title, graduation_year=year)
    for _ in range(4):  # the 10th to 13th: across the end of the first page
        make_showcase(title="社会组织99", graduation_year=2020)
    url = cms_site["showcase"].url
    first = _titles(client.get(url))
    second = _titles(client.get(url, {"page": 2}))
    expected = sorted(
        [*years.items(), *[("社会组织99", 2020)] * 4],
        key=lambda item: (-item[1], item[0]),
    )
    assert first + second == [title for title, _year in expected]
    assert len(first) == 12
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2)]
    links = [h for html in pages for h in _showcase_links(html)]
    assert len(links) == len(set(links)) == 18
    # a filter and a page together: the page of the filtered showcases
    filtered = _titles(client.get(url, {"year": "2021", "page": 1}))
    assert filtered == sorted(t for t, y in years.items() if y == 2021)


def test_showcase_page_shows_public_registry_facts(
    client, make_organization, make_showcase, service_fields
):
    org = make_organization(rating="4A", rated_on="2024-01-10", founded_on="2016-05-01")
    org.service_fields.set([service_fields["养老"], service_fields["儿童"]])
    org.save()
    page = make_showcase(org, graduation_year=2022)
    html = client.get(page.url).content.decode()
    assert org.uscc in html
    assert "湖南省长沙市雨花区" in html
    assert "社会服务机构" in html
    assert "4A" in html
    assert "儿童、养老" in html  # in the service fields' order
    assert "2016" in html and "2022" in html
    # The editor's story blocks.
    assert "成长故事" in html
    assert "孵化基地帮我们成长。" in html and "理事会" in html


def test_statistics_table_matches_the_database(client, cms_site, organization_mix):
    html = client.get(cms_site["statistics"].url).content.decode()
    table = re.search(
        r'data-table="organizations_by_type">(.*?)</table>', html, re.S
    ).group(1)
    rows = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table
    )
    assert rows == [
        ("社会团体", "2"),
        ("基金会", "1"),
        ("社会服务机构", "3"),
        ("社区社会组织", "1"),
    ]


def test_unknown_page_gets_the_portal_404(client, cms_site):
    response = client.get("/news/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert f'href="{cms_site["home"].url}"' in html


def test_the_portal_is_chinese_first_with_an_english_switch(client, cms_site):
    url = cms_site["statistics"].url
    # A browser that prefers English still gets the Chinese portal…
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "数据概览" in html or "登记社会组织" in html
    assert 'value="en"' in html  # …with a switch to English.
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": url}, HTTP_REFERER=url
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Social organizations registered" in html
    assert 'value="zh-hans"' in html


def test_showcase_story_renders_images_with_caption_and_alt_text(client, make_showcase):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="宝贝小屋", file=get_test_image_file())
    page = make_showcase(
        story=[
            ("paragraph", "<p>村小里的宝贝小屋。</p>"),
            (
                "image",
                {
                    "image": {
                        "image": image,
                        "alt_text": "孩子们在宝贝小屋读书",
                        "decorative": False,
                    },
                    "caption": "2023年建成的宝贝小屋",
                },
            ),
        ]
    )
    html = client.get(page.url).content.decode()
    assert "村小里的宝贝小屋。" in html
    assert 'alt="孩子们在宝贝小屋读书"' in html
    assert "<figcaption>2023年建成的宝贝小屋</figcaption>" in html
