"""The demo portal: a site tree with pages of every type, filled from the demo data
and the figures of the source reports. Idempotent: pages are found by slug under
their parent and left alone when they exist.

The site's skeleton (`cms/skeleton.py`, also installed by `setup_platform`) comes
first; call announcements go under 申报通知, award public notices (公示) under
公示公告, project stories under home.
"""

import datetime

from wagtail.rich_text import RichText

from cms.models import (
    AwardNoticePage,
    CallPage,
    NewsIndexPage,
    NewsPage,
    OrganizationShowcaseIndexPage,
    OrganizationShowcasePage,
    ProjectStoryPage,
    StatisticsPage,
)
from cms.skeleton import child_page_ensure as _child
from cms.skeleton import portal_home, site_skeleton_ensure
from incubator.models import Organization

SITE_TITLE = "社会组织服务公开平台"

HOME = {
    "title": SITE_TITLE,
    "banner_title": "培育发展社会组织 助力乡村全面振兴",
    "banner_text": (
        "孵化培育、福彩公益金项目、政府购买服务和乡村振兴结对帮扶信息在这里公开，"
        "数据来自社会组织登记管理和项目管理系统，实时更新。"
    ),
    "intro": (
        "<p>本平台公开社会组织孵化培育、公益金资助和乡村振兴帮扶的工作动态与统计数据，"
        "展示优秀社会组织风采，接受社会监督。</p>"
    ),
    "footer_text": "主办：省民政厅社会组织管理局（演示数据）　地址：长沙市芙蓉区（演示）",
}

NEWS = [
    (
        "2023年全省新增入驻孵化社会组织78家",
        datetime.date(2024, 1, 16),
        "全省建成省、市、县三级社会组织孵化基地141家，全年开展培训16场、沙龙6场、研讨会2场。",
        [
            ("heading", "“入驻—孵化—评估—出壳”全周期培育"),
            (
                "paragraph",
                "<p>按照“政府主导、第三方运营、社会监督、社会组织受益”的模式，"
                "各级孵化基地为入驻社会组织提供办公场地、能力培训、项目指导和公益创投支持。</p>",
            ),
            (
                "quote",
                {
                    "quote": "入驻一年，我们从三个人的志愿团队成长为能独立承接政府购买服务的社工机构。",
                    "attribution": "某社会工作服务中心负责人",
                },
            ),
            (
                "paragraph",
                "<p>2023年，全省新增入驻孵化社会组织78家，经评估顺利出壳的社会组织陆续承接社区服务项目。</p>",
            ),
        ],
    ),
    (
        "750万元福彩公益金支持70家社会组织开展服务项目",
        datetime.date(2024, 3, 8),
        "资助范围由省本级社会组织扩大到市、县两级社会组织。",
        [
            (
                "paragraph",
                "<p>省级福彩公益金安排750万元，支持70家社会组织围绕养老、助残、儿童关爱、"
                "乡村振兴等领域开展服务项目，资助范围首次扩大到市、县两级社会组织。</p>",
            ),
            (
                "paragraph",
                "<p>项目评审采用专家独立打分、回避申报和名单公示制度，公示期内接受社会监督。</p>",
            ),
        ],
    ),
    (
        "108家省级社会组织结对帮扶15个乡村振兴重点帮扶县",
        datetime.date(2024, 5, 20),
        "累计动员社会组织3000余家，实施帮扶项目1226个，帮助销售农副产品2.3亿元。",
        [
            (
                "paragraph",
                "<p>全省社会组织参与乡村振兴，建成“宝贝小屋”“阅读小屋”“直播小屋”“医生小屋”"
                "等“四个小屋”957间。</p>",
            ),
            (
                "quote",
                {
                    "quote": "直播小屋开起来以后，村里的茶叶和腊肉卖到了全国。",
                    "attribution": "重点帮扶县村民",
                },
            ),
        ],
    ),
    (
        "陕西：社会组织“合力团”助力重点帮扶县",
        datetime.date(2024, 9, 12),
        "“合力团”实施项目105个，投入资金4439万元，惠及群众5.3万人。",
        [
            (
                "paragraph",
                "<p>多家社会组织组成“合力团”对口帮扶一个县，开展“百社百村”行动；"
                "苏陕协作征集项目125个，签约35个，金额712.7万元。</p>",
            ),
        ],
    ),
    (
        "苏州：3A以上等级社会组织达950家",
        datetime.date(2025, 4, 2),
        "全市登记社会组织7728家，等级评估覆盖率45%，建成市、区、街道、社区四级孵化体系。",
        [
            (
                "paragraph",
                "<p>十年来，全市通过政府购买服务向5500余家社会组织购买服务22亿元，实施项目1万余个。</p>",
            ),
        ],
    ),
    (
        "安徽开展“百社进百村”乡村振兴行动",
        datetime.date(2025, 10, 28),
        "省级社会组织为乡村振兴捐赠款物1.5亿元以上。",
        [
            (
                "paragraph",
                "<p>全省批准成立功能型党支部169个，社会组织党的组织覆盖率达55%。</p>",
            ),
        ],
    ),
]

# organization name, graduation year, summary, story
SHOWCASES = [
    (
        "长沙市雨花区同心社会工作服务中心",
        2021,
        "从社区志愿团队成长为承接政府购买服务的3A级社工机构。",
        [
            ("heading", "扎根社区十年"),
            (
                "paragraph",
                "<p>中心2014年入驻区孵化基地，在导师指导下建立财务制度和联合党支部，"
                "2021年通过出壳评估，如今为辖区高龄、独居老人提供助餐、探访服务。</p>",
            ),
            (
                "quote",
                {
                    "quote": "孵化基地教会我们做项目、管财务，更教会我们怎样真正回应居民的需要。",
                    "attribution": "中心理事会",
                },
            ),
        ],
    ),
    (
        "湘西州山花儿童关爱中心",
        2022,
        "在湘西州为留守儿童建起“宝贝小屋”和“阅读小屋”。",
        [
            (
                "paragraph",
                "<p>中心依托福彩公益金项目，在重点帮扶县的村小建设“宝贝小屋”，组织大学生志愿者开展课后陪伴。</p>",
            ),
        ],
    ),
    (
        "永顺县农村电商协会",
        2023,
        "“直播小屋”带动农副产品线上销售。",
        [
            (
                "paragraph",
                "<p>协会在结对村建起“直播小屋”，培训村民主播，帮助销售猕猴桃、腊肉等农副产品。</p>",
            ),
        ],
    ),
    (
        "合肥市蜀山区阳光社会工作服务社",
        2022,
        "“百社进百村”行动中的城市社工力量。",
        [
            (
                "paragraph",
                "<p>服务社组织社工定期驻村，为留守老人和儿童提供个案服务与小组活动。</p>",
            ),
        ],
    ),
    (
        "苏州市吴中区乐龄养老服务中心",
        2020,
        "四级孵化体系培育出的居家养老服务品牌。",
        [
            (
                "paragraph",
                "<p>中心从街道孵化点起步，承接居家养老服务项目，服务覆盖多个社区。</p>",
            ),
        ],
    ),
    (
        "安康市紫阳富硒茶产业协会",
        2023,
        "苏陕协作中的茶产业帮扶项目。",
        [
            (
                "paragraph",
                "<p>协会参与苏陕协作，对接东部市场，帮助茶农稳定销售渠道。</p>",
            ),
        ],
    ),
    (
        "包头市草原牧民互助协会",
        2024,
        "“聚千社、兴百村”行动中的牧区互助组织。",
        [
            (
                "paragraph",
                "<p>协会组织牧民开展技能培训和互助合作，提升牧区公共服务水平。</p>",
            ),
        ],
    ),
    (
        "西安市雁塔区青年志愿者协会",
        2021,
        "青年志愿者走进秦岭山区村庄。",
        [
            (
                "paragraph",
                "<p>协会组织青年志愿者开展支教、义诊和电商培训，参与“百社百村”行动。</p>",
            ),
        ],
    ),
]


def _stream(blocks):
    out = []
    for kind, value in blocks:
        if kind == "paragraph":
            value = RichText(value)
        out.append((kind, value))
    return out


def seed(stdout):
    home, created = portal_home(HOME)
    skeleton = site_skeleton_ensure()  # 公示公告 and 申报通知 hold the grant pages

    news_index, _ = _child(
        home,
        NewsIndexPage,
        "news",
        title="工作动态",
        show_in_menus=True,
        intro="<p>社会组织孵化培育、公益金资助和乡村振兴帮扶工作动态。</p>",
    )
    showcase_index, _ = _child(
        home,
        OrganizationShowcaseIndexPage,
        "showcase",
        title="社会组织风采",
        show_in_menus=True,
        intro="<p>走进孵化出壳的优秀社会组织，看见它们服务群众、助力乡村振兴的故事。</p>",
    )
    _child(
        home,
        StatisticsPage,
        "statistics",
        title="数据统计",
        show_in_menus=True,
        intro="<p>社会组织登记、等级评估和服务领域统计，数据实时取自登记管理系统。</p>",
        data_note="数据来源：社会组织登记管理系统（演示数据）。图表下方的表格列出相同数据。",
    )

    news_count = 0
    for number, (title, date, summary, body) in enumerate(NEWS, start=1):
        _page, made = _child(
            news_index,
            NewsPage,
            f"news-{number}",
            title=title,
            date=date,
            summary=summary,
            source="省民政厅社会组织管理局",
            body=_stream(body),
        )
        news_count += made

    organizations = {
        o.name: o
        for o in Organization.objects.filter(name__in=[s[0] for s in SHOWCASES])
    }
    showcase_count = 0
    for number, (name, year, summary, story) in enumerate(SHOWCASES, start=1):
        organization = organizations.get(name)
        if organization is None:
            continue
        _page, made = _child(
            showcase_index,
            OrganizationShowcasePage,
            f"organization-{number}",
            title=name,
            organization=organization,
            graduation_year=year,
            summary=summary,
            story=_stream(story),
        )
        showcase_count += made
    grant_count = _grant_pages(skeleton["calls"], skeleton["notices"])
    story_count = _project_stories(home)
    stdout.write(
        f"cms: portal {'created' if created else 'kept'}, "
        f"{news_count} news and {showcase_count} showcases added, "
        f"{grant_count} call/notice pages and {story_count} project stories added"
    )


HOW_TO_APPLY = (
    "<p>申报单位登录社会组织孵化与资金项目管理平台，在申报期内填写项目申报书、"
    "预算明细，上传登记证书、上年度年检或年报结论及项目实施方案。</p>"
    "<ul><li>每个社会组织限报一个项目；</li>"
    "<li>逾期或材料不全的申报不予受理；</li>"
    "<li>咨询：当地民政部门社会组织管理科（工作日 9:00–17:00）。</li></ul>"
)

# Project stories: (project title, page title, summary, story).
PROJECT_STORIES = [
    (
        "安化黑茶消费帮扶行动",
        "一片黑茶带富一方茶农",
        "基金会联合电商平台开展消费帮扶，安化黑茶走出大山。",
        [
            ("heading", "从茶园到餐桌"),
            (
                "paragraph",
                "<p>项目组织爱心企业和机关食堂定向采购，帮助茶农稳定销路，"
                "带动脱贫户在家门口就业。</p>",
            ),
        ],
    ),
    (
        "永顺县直播小屋助农项目",
        "直播小屋里的新农人",
        "在永顺县的村子里建起直播小屋，村民学会了在网上卖山货。",
        [
            ("heading", "手机成了新农具"),
            (
                "paragraph",
                "<p>促进会培训村里的年轻人做主播，把腊肉、蜂蜜和猕猴桃卖到全国。</p>",
            ),
        ],
    ),
]


def _grant_pages(calls_index, notices_index):
    """A call announcement per demo call (under 申报通知) and a 公示 page per public
    notice (under 公示公告); a call or notice that has a page anywhere is left alone."""
    from funding.models import Call
    from funding.models.awards import PublicNotice

    made_count = 0
    for call in Call.objects.order_by("pk"):
        if CallPage.objects.filter(call=call).exists():
            continue
        _page, made = _child(
            calls_index,
            CallPage,
            f"call-{call.pk}",
            title=f"关于组织申报{call.name}的通知",
            call=call,
            intro="<p>为培育发展社会组织、支持其参与社会服务，现组织开展项目申报。</p>",
            how_to_apply=HOW_TO_APPLY,
        )
        made_count += made
    for notice in PublicNotice.objects.order_by("pk"):
        if AwardNoticePage.objects.filter(notice=notice).exists():
            continue
        _page, made = _child(
            notices_index,
            AwardNoticePage,
            f"notice-{notice.pk}",
            title=notice.title,
            notice=notice,
            intro="<p>经资格审查、专家评审和集体研究，拟对以下项目予以资助，现予公示。</p>",
        )
        made_count += made
    return made_count


def _project_stories(home):
    from projects.models import Project

    projects = {
        p.title: p
        for p in Project.objects.filter(title__in=[s[0] for s in PROJECT_STORIES])
    }
    made_count = 0
    for number, (project_title, title, summary, story) in enumerate(
        PROJECT_STORIES, start=1
    ):
        project = projects.get(project_title)
        if project is None:
            continue
        _page, made = _child(
            home,
            ProjectStoryPage,
            f"project-story-{number}",
            title=title,
            project=project,
            summary=summary,
            story=_stream(story),
        )
        made_count += made
    return made_count
