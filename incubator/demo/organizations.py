"""Demo organizations that look like those in the source reports (Hunan, Shaanxi,
Anhui, Suzhou, Inner Mongolia). Codes are valid USCCs built from the region."""

import datetime

from django.utils import timezone

from core.models import Region
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    CreditList,
    InspectionResult,
    OrganizationType,
    PartyOrganization,
    RegistrationLevel,
)
from incubator.models import AnnualInspection, CreditEntry, Organization
from incubator.services.service_fields import service_fields_ensure
from incubator.uscc import uscc_make

T = OrganizationType
L = RegistrationLevel
P = PartyOrganization

# name, type, level, region, supervisor, founded, fields, party, rating, rated_on
ORGANIZATIONS = [
    (
        "湖南省慈善总会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "430100",
        "湖南省民政厅",
        "1995-06-18",
        ["乡村振兴", "儿童"],
        P.INDEPENDENT,
        "5A",
        "2022-11-30",
    ),
    (
        "湖南省青少年发展基金会",
        T.FOUNDATION,
        L.PROVINCE,
        "430100",
        "共青团湖南省委",
        "1991-04-12",
        ["教育", "儿童"],
        P.INDEPENDENT,
        "5A",
        "2023-12-01",
    ),
    (
        "湖南省乡村振兴促进会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "430100",
        "",
        "2019-03-22",
        ["乡村振兴"],
        P.FUNCTIONAL,
        "4A",
        "2023-06-15",
    ),
    (
        "湖南省社会组织促进会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "430100",
        "",
        "2016-08-08",
        ["社区治理", "社会工作"],
        P.INDEPENDENT,
        "4A",
        "2022-05-20",
    ),
    (
        "长沙市雨花区同心社会工作服务中心",
        T.SOCIAL_SERVICE,
        L.COUNTY,
        "430111",
        "",
        "2014-09-01",
        ["社会工作", "养老"],
        P.JOINT,
        "3A",
        "2021-12-10",
    ),
    (
        "长沙市岳麓区助残志愿服务中心",
        T.SOCIAL_SERVICE,
        L.COUNTY,
        "430104",
        "",
        "2018-05-16",
        ["助残", "志愿服务"],
        P.NONE,
        "",
        "",
    ),
    (
        "湘西州山花儿童关爱中心",
        T.SOCIAL_SERVICE,
        L.CITY,
        "433100",
        "",
        "2017-11-03",
        ["儿童", "乡村振兴"],
        P.FUNCTIONAL,
        "3A",
        "2020-10-09",
    ),
    (
        "永顺县农村电商协会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "433127",
        "永顺县商务局",
        "2019-07-26",
        ["乡村振兴"],
        P.NONE,
        "",
        "",
    ),
    (
        "新化县乡村医生协会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "431322",
        "新化县卫生健康局",
        "2012-02-14",
        ["医疗", "乡村振兴"],
        P.JOINT,
        "2A",
        "2019-08-30",
    ),
    (
        "陕西省慈善协会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "610100",
        "陕西省民政厅",
        "1994-12-28",
        ["乡村振兴", "养老"],
        P.INDEPENDENT,
        "5A",
        "2022-09-15",
    ),
    (
        "陕西省扶贫开发基金会",
        T.FOUNDATION,
        L.PROVINCE,
        "610100",
        "",
        "2002-05-10",
        ["乡村振兴"],
        P.INDEPENDENT,
        "4A",
        "2021-11-11",
    ),
    (
        "西安市雁塔区青年志愿者协会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "610113",
        "",
        "2010-03-05",
        ["志愿服务", "社区治理"],
        P.FUNCTIONAL,
        "3A",
        "2023-03-01",
    ),
    (
        "安康市紫阳富硒茶产业协会",
        T.SOCIAL_GROUP,
        L.CITY,
        "610900",
        "安康市农业农村局",
        "2015-04-20",
        ["乡村振兴"],
        P.NONE,
        "3A",
        "2020-06-18",
    ),
    (
        "商洛市山阳县老年协会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "611024",
        "",
        "2008-10-09",
        ["养老"],
        P.NONE,
        "",
        "",
    ),
    (
        "安徽省社会组织总会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "340100",
        "",
        "2017-01-18",
        ["社区治理"],
        P.INDEPENDENT,
        "5A",
        "2023-01-12",
    ),
    (
        "安徽省青年志愿者协会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "340100",
        "共青团安徽省委",
        "1996-11-23",
        ["志愿服务", "乡村振兴"],
        P.FUNCTIONAL,
        "4A",
        "2022-12-20",
    ),
    (
        "合肥市蜀山区阳光社会工作服务社",
        T.SOCIAL_SERVICE,
        L.COUNTY,
        "340104",
        "",
        "2013-06-06",
        ["社会工作", "儿童"],
        P.JOINT,
        "3A",
        "2021-07-07",
    ),
    (
        "安庆市岳西县茶农互助会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "340828",
        "",
        "2016-09-19",
        ["乡村振兴"],
        P.NONE,
        "",
        "",
    ),
    (
        "苏州市社会组织培育发展中心",
        T.SOCIAL_SERVICE,
        L.CITY,
        "320500",
        "",
        "2011-12-12",
        ["社区治理", "社会工作"],
        P.INDEPENDENT,
        "5A",
        "2022-04-25",
    ),
    (
        "苏州市姑苏区社区社会组织联合会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "320508",
        "",
        "2014-03-18",
        ["社区治理"],
        P.FUNCTIONAL,
        "4A",
        "2023-05-08",
    ),
    (
        "苏州市吴中区乐龄养老服务中心",
        T.SOCIAL_SERVICE,
        L.COUNTY,
        "320506",
        "",
        "2015-08-28",
        ["养老"],
        P.JOINT,
        "4A",
        "2021-09-09",
    ),
    (
        "苏州市慈善基金会",
        T.FOUNDATION,
        L.CITY,
        "320500",
        "",
        "2009-01-16",
        ["乡村振兴", "医疗", "教育"],
        P.INDEPENDENT,
        "5A",
        "2023-10-10",
    ),
    (
        "苏州市虎丘区环保公益促进会",
        T.SOCIAL_GROUP,
        L.COUNTY,
        "320505",
        "",
        "2018-06-05",
        ["环保"],
        P.NONE,
        "3A",
        "2022-06-30",
    ),
    (
        "内蒙古自治区慈善总会",
        T.SOCIAL_GROUP,
        L.PROVINCE,
        "150100",
        "内蒙古自治区民政厅",
        "1996-02-08",
        ["乡村振兴", "医疗"],
        P.INDEPENDENT,
        "5A",
        "2022-08-18",
    ),
    (
        "呼和浩特市赛罕区社区服务中心",
        T.SOCIAL_SERVICE,
        L.COUNTY,
        "150105",
        "",
        "2012-10-22",
        ["社区治理", "养老"],
        P.JOINT,
        "3A",
        "2020-12-15",
    ),
    (
        "包头市草原牧民互助协会",
        T.SOCIAL_GROUP,
        L.CITY,
        "150200",
        "",
        "2017-05-27",
        ["乡村振兴"],
        P.NONE,
        "",
        "",
    ),
]

# Filed community organizations: no USCC, a filing number instead.
COMMUNITY = [
    (
        "姑苏区双塔街道邻里互助会",
        "320508",
        "姑苏双塔备字第0012号",
        ["社区治理", "养老"],
    ),
    ("雨花区砂子塘社区读书会", "430111", "雨花砂子塘备字第0031号", ["文化", "教育"]),
    (
        "蜀山区笔架山社区法律援助志愿队",
        "340104",
        "蜀山笔架山备字第0008号",
        ["法律服务", "志愿服务"],
    ),
]


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def seed(stdout):
    """Create the service fields and the demo organizations with their annual
    inspections and credit entries (idempotent, by code)."""
    fields = service_fields_ensure()
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in=[o[3] for o in ORGANIZATIONS] + [c[1] for c in COMMUNITY]
        )
    }
    created = 0
    for serial, row in enumerate(ORGANIZATIONS, start=1):
        (
            name,
            org_type,
            level,
            region_code,
            supervisor,
            founded,
            field_names,
            party,
            rating,
            rated_on,
        ) = row
        uscc = uscc_make(USCC_CATEGORY_BY_TYPE[org_type], region_code, 4300 + serial)
        org, was_created = Organization.objects.get_or_create(
            uscc=uscc,
            defaults={
                "name": name,
                "org_type": org_type,
                "registration_level": level,
                "region": regions[region_code],
                "business_supervisor": supervisor,
                "founded_on": _date(founded),
                "party_organization": party,
                "rating": rating,
                "rated_on": _date(rated_on),
                "legal_representative": "张" + "伟芳敏静丽强磊军洋勇"[serial % 10],
                "contact_name": "李" + "娜秀英华慧巧美娟红"[serial % 9],
                "contact_phone": f"0731-8{serial:03d}{serial * 7 % 1000:04d}",
                "contact_email": f"contact{serial}@example.org",
            },
        )
        if not was_created:
            continue
        created += 1
        org.service_fields.set([fields[f] for f in field_names])
        org.save()  # ParentalManyToManyField writes on save
        last_year = timezone.localdate().year - 1
        for year in range(last_year - 2, last_year + 1):
            result = InspectionResult.PASSED
            if serial % 11 == 0 and year == last_year:
                result = InspectionResult.NOT_INSPECTED
            elif serial % 7 == 0 and year == last_year - 1:
                result = InspectionResult.BASICALLY_PASSED
            AnnualInspection.objects.create(organization=org, year=year, result=result)
        if serial % 11 == 0:
            CreditEntry.objects.create(
                organization=org,
                list_type=CreditList.ABNORMAL,
                reason=f"未按规定参加{timezone.localdate().year - 1}年度年检",
                date_in=datetime.date(2024, 7, 1),
            )
        if serial == 14:
            CreditEntry.objects.create(
                organization=org,
                list_type=CreditList.SERIOUS_DISHONESTY,
                reason="连续两年未参加年检，被列入严重违法失信名单",
                date_in=datetime.date(2024, 9, 15),
            )
    for name, region_code, filing, field_names in COMMUNITY:
        org, was_created = Organization.objects.get_or_create(
            name=name,
            filing_number=filing,
            defaults={
                "org_type": OrganizationType.COMMUNITY,
                "registration_level": RegistrationLevel.COUNTY,
                "region": regions[region_code],
            },
        )
        if was_created:
            created += 1
            org.service_fields.set([fields[f] for f in field_names])
            org.save()
    stdout.write(
        f"organizations: {created} created, {Organization.objects.count()} in all"
    )
