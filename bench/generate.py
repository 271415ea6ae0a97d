"""Province-scale data for the benchmark: one Hunan-sized province at scale 1.0.

`bench_generate(scale, seed)` writes, scaled linearly (at least 1 of each):

    50,000 organizations · 300 incubation bases · 20,000 residencies (with their
    stage moves) · 200 calls · 200,000 applications with their reviews and
    per-criterion scores · 20,000 revitalization projects · 1,000,000 outcome lines

plus what those need (users of every role, funds, rubrics, awards with tranches
and payments, purchases, villages, alliances, pairings, indicators), and one more
call, ``BENCH-LINE …``, with exactly 2,000 reviewed applications for timing the
funding line.

How it stays fast and small:
- the big tables are written with `_Writer`: plain tuples, primary keys assigned
  here, PostgreSQL ``COPY`` / SQLite ``executemany`` in chunks — no model instances,
  no signals. So no django-simple-history rows (the benchmark data has no
  “who changed it”: history is not what is measured, and it would double the
  database) and no search-index updates (none of these models is in Wagtail's
  search index: the admin listings search the database directly). The public
  figures' cache is dropped at the end, since no signal did it;
- everything streams call by call / project by project: memory stays flat.

Distributions follow the source reports (see docs/bench.md, “Generator”).
"""

import datetime
import json
import random
import time
from array import array
from contextlib import contextmanager
from decimal import Decimal
from itertools import accumulate, islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from core import roles
from core.models import Region
from funding import models as fm
from funding.choices import (
    ApplicationStatus as AS,
)
from funding.choices import (
    FundSource,
    Recommendation,
    ReviewStatus,
)
from funding.demo.calls import RUBRIC
from funding.models.awards import DisbursementStatus, TrancheCondition
from funding.models.purchases import Grade, ProcurementMethod, ServiceCategory
from incubator import models as im
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    CreditList,
    InspectionResult,
    OrganizationType,
    PartyOrganization,
    RegistrationLevel,
    RegistrationStatus,
)
from incubator.models.bases import DEFAULT_CRITERIA, DEFAULT_MILESTONES
from incubator.models.organizations import rating_expiry
from incubator.services.service_fields import SERVICE_FIELDS
from incubator.uscc import uscc_make
from projects import models as pm
from projects.choices import (
    FundingKind,
    PeriodType,
    ProjectCategory,
    ProjectStatus,
    ReportStatus,
)
from projects.periods import PERIODS_PER_YEAR, period_bounds
from projects.services.indicators import indicators_ensure
from projects.services.pairings import pairings_provinces_refresh
from projects.services.rollup_totals import rollup_totals_rebuild

FULL = {
    # public showcase pages of graduated organizations: one in 500 organizations,
    # growing with the registry (2,000 at scale 20)
    "showcases": 100,
    "organizations": 50_000,
    "bases": 300,
    "residencies": 20_000,
    "calls": 200,
    "applications": 200_000,
    "projects": 20_000,
    "outcome_lines": 1_000_000,
    # what those need
    "reviewers": 400,
    "fund_managers": 20,
    "finance": 10,
    "coordinators": 200,
    "editors": 10,
    "funds": 40,
    "pairings": 6_000,
    "villages": 3_000,
    "alliances": 60,
    "purchases": 5_000,
    "activities": 6_000,
}
LINE_CALL_PREFIX = "BENCH-LINE"  # the name of the call whose funding line is timed
LINE_APPLICATIONS = 2_000  # in the BENCH-LINE call, at scale ≥ 0.01
PROVINCE = "43"  # 湖南省
CROSS_PROVINCE = "3205"  # 苏州市: organizations paired with Shaanxi counties
SERIAL_START = 80_000_000  # USCC serials of generated organizations
USERNAME_PREFIX = "bench-"
PASSWORD = "bench-2026"  # noqa: S105 - printed benchmark login, not a secret
TODAY = datetime.date(2026, 6, 30)  # fixed, so a seed always gives the same data
CHUNK = 5_000


def batched(rows, size):
    rows = iter(rows)
    while chunk := tuple(islice(rows, size)):
        yield chunk


class BenchError(Exception):
    """The database cannot take benchmark data (e.g. it already holds some)."""


def bench_line_call():
    """The call with exactly 2,000 reviewed applications (fewer below scale 0.01)."""
    return (
        fm.Call.objects.filter(name__startswith=LINE_CALL_PREFIX).order_by("pk").first()
    )


# Above scale 1 the registry grows with the scale (organizations: 1,000,000 at
# scale 20, a national registry) while the activity of one year — bases, calls,
# applications, projects, outcome lines — grows more slowly: ×10 at scale 20
# (10,000,000 outcome lines), one ninth and a half of a province per unit of scale.
REGISTRY = ("organizations", "showcases")
NATIONAL_SCALE = 20  # 1,000,000 organizations, 10,000,000 outcome lines
NATIONAL_ACTIVITY = 10


def activity_for(scale):
    """The factor of the activity tables at `scale`: the scale itself up to 1, then
    linear from 1 (scale 1) to NATIONAL_ACTIVITY (scale NATIONAL_SCALE)."""
    if scale <= 1:
        return scale
    return 1 + (scale - 1) * (NATIONAL_ACTIVITY - 1) / (NATIONAL_SCALE - 1)


def counts_for(scale):
    """{what: rows} at `scale`: FULL × scale up to scale 1 (a province); above it,
    organizations × scale and the rest × `activity_for(scale)` (scale 20: 1,000,000
    organizations, 200,000 projects, 10,000,000 outcome lines, 2,000,000
    applications)."""
    activity = activity_for(scale)
    counts = {
        key: max(1, round(value * (scale if key in REGISTRY else activity)))
        for key, value in FULL.items()
    }
    counts["reviewers"] = max(5, counts["reviewers"])
    counts["funds"] = max(8, counts["funds"])  # calls spread over eight years
    # a payment is recorded and approved by two different fund managers
    counts["fund_managers"] = max(2, counts["fund_managers"])
    counts["line_applications"] = (
        LINE_APPLICATIONS
        if scale >= 0.01
        else max(1, round(LINE_APPLICATIONS * scale / 0.01))
    )
    return counts


def bench_present():
    return (
        fm.Call.objects.filter(name__startswith=LINE_CALL_PREFIX).exists()
        or get_user_model()
        .objects.filter(username__startswith=f"{USERNAME_PREFIX}reviewer-")
        .exists()
    )


def bench_generate(scale=1.0, seed=1, log=print):
    """Fill the current database; returns {what: rows written}. All or nothing."""
    if scale <= 0:
        raise BenchError("The scale must be positive.")
    if bench_present():
        raise BenchError(
            "This database already holds benchmark data (a BENCH-LINE call or "
            "bench-reviewer-* users): use a fresh database."
        )
    if not Region.objects.filter(code__startswith=PROVINCE, level=3).exists():
        raise BenchError("No administrative divisions: run migrate first.")
    g = _Generator(scale, seed, log)
    with _fast_sqlite(), transaction.atomic():
        _fast_postgres()
        with g.writer.bulk_load(BULK_MODELS, log=g.step):
            g.run()
        g.writer.reset_sequences()
        rollup_totals_rebuild()
        pairings_provinces_refresh()
        g.step("committing")
    from cms.selectors.figures import figures_invalidate

    figures_invalidate()
    return g.written


def _bulk_models():
    """The tables written in bulk whose indexes and constraints (PostgreSQL) are
    dropped while they fill and rebuilt afterwards, in the same transaction."""
    return [
        im.Organization,
        im.Organization.service_fields.through,
        im.AnnualInspection,
        im.CreditEntry,
        im.Residency,
        im.StageTransition,
        im.Milestone,
        fm.Application,
        fm.Review,
        fm.Score,
        fm.Award,
        fm.Tranche,
        fm.Disbursement,
        pm.Project,
        pm.FundingLink,
        pm.OutcomeReport,
        pm.OutcomeLine,
    ]


BULK_MODELS = _bulk_models()


def _fast_postgres():
    """For this transaction only: more memory to build indexes, and a COMMIT that
    does not wait for the disk (a crash loses the run, which then starts over)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")


@contextmanager
def _fast_sqlite():
    """A bigger page cache while writing (SQLite's 2 MB default spills the growing
    indexes over and over); restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


class _Writer:
    """Writes plain tuples to a model's table: COPY on PostgreSQL, executemany on
    SQLite. Columns not given get the field's default (or NULL / "")."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self._next = {}
        self.models = set()
        self.written = {}

    def ids(self, model, count):
        if model not in self._next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self._next[model] = top + 1
        start = self._next[model]
        self._next[model] += count
        return range(start, start + count)

    def dt(self, day, hour=2):
        """A datetime column's value for a date (02:00 UTC = 10:00 in Shanghai)."""
        if day is None:
            return None
        if self.postgres:
            return datetime.datetime(
                day.year, day.month, day.day, hour, tzinfo=datetime.UTC
            )
        return f"{day.isoformat()} {hour:02d}:00:00"

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            return None
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            raise ValueError(f"{field.model.__name__}.{field.name} needs a value")
        return field.get_db_prep_save(value, connection)

    def insert(self, model, columns, rows):
        opts = model._meta
        fields = [opts.get_field(c) for c in columns]
        given = {f.column for f in fields}
        rest = [
            f
            for f in opts.concrete_fields
            if f.column not in given and not f.primary_key
        ]
        extra = tuple(self._default(f) for f in rest)
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields + rest)
        table = quote(opts.db_table)
        count = 0
        with connection.cursor() as cursor:
            for chunk in batched(rows, CHUNK):
                data = [row + extra for row in chunk] if extra else chunk
                if self.postgres:
                    sql = f"COPY {table} ({names}) FROM STDIN"
                    with cursor.cursor.copy(sql) as copy:
                        for row in data:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * (len(fields) + len(rest)))
                    cursor.executemany(
                        f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - model names
                        data,
                    )
                count += len(chunk)
        self.models.add(model)
        key = opts.label if not opts.auto_created else opts.db_table
        self.written[key] = self.written.get(key, 0) + count
        return count

    @contextmanager
    def bulk_load(self, bulk_models, log=print):
        """PostgreSQL: drop the secondary indexes, unique and foreign-key
        constraints of `bulk_models`' tables (not their primary keys) before the
        load, and build them again after it — one sort per index and one join per
        foreign key, instead of an index update and a deferred check per row at
        COMMIT. In the same transaction: a failed run leaves them as they were.
        Skipped (constraints kept) when a table has pending checks in this
        transaction already. SQLite: nothing changes."""
        if not self.postgres:
            yield
            return
        tables = [m._meta.db_table for m in bulk_models]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname,
                       pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
                ORDER BY c.contype, c.conname
                """,
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                  )
                ORDER BY 1
                """,
                [tables],
            )
            indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for table, name, _definition in constraints:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                for name, _definition in indexes:
                    cursor.execute(f"DROP INDEX {name}")
        except DatabaseError:
            constraints, indexes = [], []  # pending checks: load with them
        yield
        log(
            f"indexes ({len(indexes)}) and constraints ({len(constraints)}) built again"
        )
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
            # unique constraints first: the foreign keys may point at them
            for table, name, definition in reversed(constraints):
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                )
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    def reset_sequences(self):
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows explicit keys by itself
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# Vocabulary for names (the source reports' words).
BRANDS = (
    "阳光 爱心 同心 启明 春晖 善行 惠民 和美 心连心 益路 守望 彩虹 暖阳 星光 "
    "向日葵 绿洲 晨曦 公益 友善 新时代 乡音 芙蓉 湘江 潇湘 麓山 橘洲 雁城 楚韵 "
    "德润 仁爱 慈济 博爱 众益 乐龄 安康 馨和 益起 微光 青禾 禾苗"
).split()
FIELD_WORDS = {
    "养老": ("养老服务", "居家养老", "老年关爱", "长者服务"),
    "助残": ("助残服务", "残疾人康复", "融合发展"),
    "儿童": ("儿童关爱", "留守儿童", "青少年发展"),
    "教育": ("教育发展", "助学", "阅读推广"),
    "医疗": ("健康促进", "医疗救助", "心理健康"),
    "乡村振兴": ("乡村振兴", "农村发展", "产业帮扶"),
    "环保": ("环境保护", "生态文明", "垃圾分类"),
    "社区治理": ("社区发展", "邻里互助", "社区营造"),
    "社会工作": ("社会工作", "社工"),
    "志愿服务": ("志愿服务", "志愿者"),
    "文化": ("文化传承", "非遗保护", "群众文化"),
    "法律服务": ("法律援助", "调解服务"),
}
SUFFIX = {
    OrganizationType.SOCIAL_GROUP: ("协会", "促进会", "联合会", "研究会", "商会"),
    OrganizationType.SOCIAL_SERVICE: ("服务中心", "发展中心", "服务社", "研究院"),
    OrganizationType.FOUNDATION: ("基金会", "公益基金会"),
    OrganizationType.COMMUNITY: ("志愿服务队", "互助会", "协会"),
}
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉"
TOWNS = "城关 新塘 白沙 青山 石桥 龙潭 双江 金田 黄土 大坪 高桥 枫林 桃源 长乐 太平 永兴".split()
VILLAGE_WORDS = "团结 和平 新民 红星 光明 五一 胜利 向阳 新华 联合 东风 前进 平安 兴旺 富民 幸福".split()
PROJECT_WORDS = {
    ProjectCategory.INDUSTRY: ("特色种植产业帮扶", "养殖合作社扶持", "茶油产业提质"),
    ProjectCategory.CONSUMPTION: ("农产品消费帮扶", "以购代捐助农", "电商助农"),
    ProjectCategory.EMPLOYMENT: ("就业技能培训", "家门口就业", "返乡创业扶持"),
    ProjectCategory.EDUCATION: ("乡村学校助学", "留守儿童课后服务", "乡村教师培训"),
    ProjectCategory.MEDICAL: ("乡村义诊", "慢病健康管理", "妇幼健康关爱"),
    ProjectCategory.CABIN_BABY: ("宝贝小屋建设",),
    ProjectCategory.CABIN_READING: ("阅读小屋建设",),
    ProjectCategory.CABIN_LIVESTREAM: ("直播小屋建设",),
    ProjectCategory.CABIN_DOCTOR: ("医生小屋建设",),
    ProjectCategory.OTHER: ("乡风文明建设", "人居环境整治"),
}
APPLICATION_WORDS = (
    "关爱服务项目",
    "能力提升项目",
    "社会工作服务项目",
    "志愿服务项目",
    "公益创投项目",
    "示范项目",
)


def weighted(rng, table):
    """table: [(value, weight)] → a picker drawing values with those weights."""
    values = [v for v, _w in table]
    cum = list(accumulate(w for _v, w in table))
    return lambda: rng.choices(values, cum_weights=cum)[0]


def day_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def money(value):
    return Decimal(int(value)).quantize(Decimal("0.01"))


class _Generator:
    def __init__(self, scale, seed, log):
        self.rng = random.Random(seed)  # noqa: S311 - data, not secrets
        self.n = counts_for(scale)
        self.log = log
        self.writer = _Writer()
        self.written = self.writer.written
        self.started = time.monotonic()
        self.cpu_started = time.process_time()

    def step(self, what):
        """Log a step with the wall time and the generator's CPU time so far (on a
        shared machine the CPU time is what the step costs)."""
        self.log(
            f"[{time.monotonic() - self.started:7.1f}s, "
            f"CPU {time.process_time() - self.cpu_started:6.1f}s] {what}"
        )

    def run(self):
        self.regions()
        self.users()
        self.organizations()
        self.incubation()
        self.funding()
        self.purchases()
        self.revitalization()
        self.site()
        self.step("done")

    # ---------------------------------------------------------------- regions
    def regions(self):
        counties = list(
            Region.objects.filter(code__startswith=PROVINCE, level=3).select_related(
                "parent"
            )
        )
        self.counties = counties
        # Prefecture seats (市辖区) and Changsha hold more organizations.
        self.county_pick = weighted(
            self.rng,
            [
                (c, 4 if c.code.startswith("4301") else 2 if "区" in c.name else 1)
                for c in counties
            ],
        )
        self.cities = list(
            Region.objects.filter(code__startswith=PROVINCE, level=2).order_by("code")
        )
        self.province = Region.objects.get(code=PROVINCE + "0000")
        self.capital = Region.objects.get(code=PROVINCE + "0100")
        self.key_counties = list(
            Region.objects.filter(is_key_county=True, level=3).order_by("code")
        )
        self.home_key = [c for c in self.key_counties if c.code.startswith(PROVINCE)]
        self.far_key = [c for c in self.key_counties if c not in self.home_key]
        self.suzhou = list(
            Region.objects.filter(code__startswith=CROSS_PROVINCE, level=3)
        )

    # ---------------------------------------------------------------- users
    def users(self):
        """Users of every role (password PASSWORD), bench-<role>-NNNN."""
        self.step("users")
        User = get_user_model()
        password = make_password(PASSWORD)
        plan = [
            ("operator", roles.OPERATOR, self.n["bases"]),
            ("reviewer", roles.REVIEWER, self.n["reviewers"]),
            ("fund", roles.FUND_MANAGER, self.n["fund_managers"]),
            ("finance", roles.FINANCE, self.n["finance"]),
            ("coordinator", roles.COORDINATOR, self.n["coordinators"]),
            ("editor", roles.EDITOR, self.n["editors"]),
        ]
        self.by_role = {}
        joined = timezone.make_aware(datetime.datetime(2020, 1, 6, 9))
        for key, role, count in plan:
            users = [
                User(
                    username=f"{USERNAME_PREFIX}{key}-{i:04d}",
                    first_name=self.rng.choice(SURNAMES) + self.rng.choice(GIVEN),
                    email=f"{key}{i:04d}@bench.example.org",
                    password=password,
                    date_joined=joined,
                )
                for i in range(1, count + 1)
            ]
            User.objects.bulk_create(users, batch_size=1000)
            ids = list(
                User.objects.filter(
                    username__startswith=f"{USERNAME_PREFIX}{key}-"
                ).values_list("pk", flat=True)
            )
            self.by_role[key] = sorted(ids)
            group = roles.role_group(role)
            self.writer.insert(
                User.groups.through,
                ("user_id", "group_id"),
                ((u, group.pk) for u in ids),
            )
        self.written[User._meta.label] = sum(len(v) for v in self.by_role.values())

    # ---------------------------------------------------------------- organizations
    def organizations(self):
        self.step("organizations")
        rng, n = self.rng, self.n["organizations"]
        fields = []
        for order, name in enumerate(SERVICE_FIELDS):
            field, _c = im.ServiceField.objects.get_or_create(
                name=name, defaults={"sort_order": order}
            )
            fields.append(field)
        taken = set(
            im.Organization.objects.exclude(uscc=None).values_list("uscc", flat=True)
        )
        T, L = OrganizationType, RegistrationLevel
        # Suzhou: 3,281 social groups, 4,376 social service agencies, 71 foundations
        # (+ filed community organizations, here a small share of the registry).
        org_type = weighted(
            rng,
            [
                (T.SOCIAL_GROUP, 39),
                (T.SOCIAL_SERVICE, 52),
                (T.FOUNDATION, 1),
                (T.COMMUNITY, 8),
            ],
        )
        level = weighted(rng, [(L.PROVINCE, 6), (L.CITY, 26), (L.COUNTY, 68)])
        # Suzhou: rating coverage 45 % of registered, 950 of 7,728 rated 3A or above.
        rating = weighted(
            rng,
            [("", 62), ("1A", 3), ("2A", 10), ("3A", 15), ("4A", 7), ("5A", 3)],
        )
        # Anhui: party-building coverage 55 %.
        party = weighted(
            rng,
            [
                (PartyOrganization.NONE, 45),
                (PartyOrganization.INDEPENDENT, 12),
                (PartyOrganization.JOINT, 28),
                (PartyOrganization.FUNCTIONAL, 15),
            ],
        )
        status = weighted(
            rng,
            [
                (RegistrationStatus.ACTIVE, 96),
                (RegistrationStatus.DEREGISTERED, 3),
                (RegistrationStatus.REVOKED, 1),
            ],
        )
        n_fields = weighted(rng, [(1, 50), (2, 35), (3, 15)])
        ids = self.writer.ids(im.Organization, n)
        # One small number per organization, not an object: a million of them
        # stay a few megabytes.
        self.org_ids = ids  # a range
        self.region_list = []
        region_index = {}
        self.org_region_ix = array("l")
        self.org_type_ix = bytearray()
        self.type_list = list(T)
        type_index = {kind: i for i, kind in enumerate(self.type_list)}
        org_fields = bytearray()  # three service-field slots (index + 1) each
        field_index = {f.pk: i + 1 for i, f in enumerate(fields)}
        now = self.writer.dt(TODAY)

        def rows():
            serial = SERIAL_START
            for pk in ids:
                kind = org_type()
                if rng.random() < 0.01 and self.suzhou:
                    lvl, region = L.COUNTY, rng.choice(self.suzhou)
                else:
                    lvl = L.COUNTY if kind == T.COMMUNITY else level()
                    region = (
                        self.capital
                        if lvl == L.PROVINCE
                        else self.county_pick().parent
                        if lvl == L.CITY
                        else self.county_pick()
                    )
                chosen = rng.sample(fields, n_fields())
                word = rng.choice(FIELD_WORDS.get(chosen[0].name, ("公益",)))
                place = "湖南省" if lvl == L.PROVINCE else region.name
                name = f"{place}{rng.choice(BRANDS)}{word}{rng.choice(SUFFIX[kind])}"
                uscc = filing = None
                if kind == T.COMMUNITY:
                    filing = f"{region.code}备{pk:07d}"
                else:
                    while True:
                        serial += 1
                        uscc = uscc_make(
                            USCC_CATEGORY_BY_TYPE[kind], region.code, serial
                        )
                        if uscc not in taken:
                            break
                # Founded mostly after 2010 (the registry grew fast since).
                year = min(2025, int(1990 + 35 * rng.random() ** 0.6))
                founded = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                grade = rating() if kind != T.COMMUNITY and year < 2023 else ""
                rated_on = (
                    day_between(rng, datetime.date(2020, 1, 1), TODAY)
                    if grade
                    else None
                )
                valid = rating_expiry(rated_on) if rated_on else None
                person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                if region.pk not in region_index:
                    region_index[region.pk] = len(self.region_list)
                    self.region_list.append(region)
                self.org_region_ix.append(region_index[region.pk])
                self.org_type_ix.append(type_index[kind])
                org_fields.extend(
                    [field_index[f.pk] for f in chosen] + [0] * (3 - len(chosen))
                )
                yield (
                    pk,
                    name,
                    uscc,
                    filing or "",
                    kind,
                    lvl,
                    region.pk,
                    status(),
                    "" if rng.random() < 0.4 else f"{place}民政局",
                    founded,
                    party(),
                    grade,
                    rated_on,
                    valid,
                    person,
                    person,
                    f"1{rng.randint(3, 9)}{rng.randrange(10**9):09d}",
                    f"org{pk}@bench.example.org",
                    now,
                    now,
                )

        self.writer.insert(
            im.Organization,
            (
                "id name uscc filing_number org_type registration_level region_id "
                "registration_status business_supervisor founded_on "
                "party_organization rating rated_on rating_valid_until "
                "legal_representative contact_name contact_phone contact_email "
                "created_at updated_at"
            ).split(),
            rows(),
        )
        self.writer.insert(
            im.Organization.service_fields.through,
            ("organization_id", "servicefield_id"),
            (
                (pk, fields[slot - 1].pk)
                for i, pk in enumerate(ids)
                for slot in org_fields[3 * i : 3 * i + 3]
                if slot
            ),
        )
        # Shaanxi: annual inspection rate 92.2 %.
        result = weighted(
            rng,
            [
                (InspectionResult.PASSED, 86),
                (InspectionResult.BASICALLY_PASSED, 5),
                (InspectionResult.FAILED, 1),
                (InspectionResult.NOT_INSPECTED, 8),
            ],
        )
        self.writer.insert(
            im.AnnualInspection,
            ("organization_id", "year", "result"),
            ((pk, year, result()) for pk in ids for year in (2024, 2025)),
        )
        credit = []
        for pk in ids:
            draw = rng.random()
            if draw < 0.025:
                listed = day_between(rng, datetime.date(2021, 1, 1), TODAY)
                out = listed + datetime.timedelta(days=365) if draw < 0.012 else None
                credit.append(
                    (pk, CreditList.ABNORMAL, "未按规定参加年检", listed, out)
                )
            elif draw < 0.028:
                listed = day_between(rng, datetime.date(2021, 1, 1), TODAY)
                credit.append(
                    (pk, CreditList.SERIOUS_DISHONESTY, "被撤销登记", listed, None)
                )
        self.writer.insert(
            im.CreditEntry,
            ("organization_id", "list_type", "reason", "date_in", "date_out"),
            credit,
        )
        self._pools = {}

    def org_region(self, pk):
        """The Region of a generated organization."""
        return self.region_list[self.org_region_ix[pk - self.org_ids.start]]

    def org_type(self, pk):
        return self.type_list[self.org_type_ix[pk - self.org_ids.start]]

    def org_sample(self, count, kinds=None):
        pool = self.org_ids
        if kinds:
            key = frozenset(kinds)
            if key not in self._pools:
                wanted = {i for i, kind in enumerate(self.type_list) if kind in key}
                start = self.org_ids.start
                self._pools[key] = array(
                    "l",
                    (start + i for i, t in enumerate(self.org_type_ix) if t in wanted),
                )
            pool = self._pools[key]
        if count <= len(pool):
            return self.rng.sample(pool, count)
        return [self.rng.choice(pool) for _ in range(count)]

    # ---------------------------------------------------------------- incubation
    def incubation(self):
        self.step("incubation bases and residencies")
        rng, n = self.rng, self.n["bases"]
        taken = set(im.IncubationBase.objects.values_list("name", flat=True))
        B = im.BaseLevel
        level = weighted(
            rng,
            [(B.CITY, 5), (B.COUNTY, 40), (B.STREET, 35), (B.COMMUNITY, 20)],
        )
        operators_pool = self.org_sample(
            n, kinds=[OrganizationType.SOCIAL_SERVICE, OrganizationType.SOCIAL_GROUP]
        )
        bases = []
        for i in range(n):
            lvl = B.PROVINCE if i == 0 else level()
            county = self.county_pick()
            region = (
                self.province
                if lvl == B.PROVINCE
                else county.parent
                if lvl == B.CITY
                else county
            )
            place = {B.STREET: rng.choice(TOWNS) + "街道", B.COMMUNITY: "社区"}.get(
                lvl, ""
            )
            name = f"{region.name}{place}社会组织孵化基地"
            k = 1
            while name in taken:
                k += 1
                name = f"{region.name}{place}社会组织孵化基地（{k}号）"
            taken.add(name)
            bases.append(
                im.IncubationBase(
                    name=name,
                    level=lvl,
                    region=region,
                    operator_id=operators_pool[i],
                    capacity=rng.choice((20, 30, 40, 60, 80)),
                    funding_sources=rng.choice(
                        ("福彩公益金", "财政预算", "福彩公益金、公益创投")
                    ),
                    opened_on=day_between(
                        rng, datetime.date(2012, 1, 1), datetime.date(2022, 12, 31)
                    ),
                )
            )
        im.IncubationBase.objects.bulk_create(bases)
        bases = list(im.IncubationBase.objects.filter(name__in=[b.name for b in bases]))
        self.written[im.IncubationBase._meta.label] = len(bases)
        base_ids = [b.pk for b in bases]
        self.writer.insert(
            im.AssessmentCriterion,
            ("base_id", "kind", "weight", "sort_order"),
            (
                (b, kind, weight, order)
                for b in base_ids
                for order, (kind, weight) in enumerate(DEFAULT_CRITERIA)
            ),
        )
        self.writer.insert(
            im.MilestoneTemplate,
            ("base_id", "title", "due_after_days", "sort_order"),
            (
                (b, title, days, order)
                for b in base_ids
                for order, (title, days) in enumerate(DEFAULT_MILESTONES)
            ),
        )
        operators = self.by_role["operator"]
        self.writer.insert(
            im.IncubationBase.operators.through,
            ("incubationbase_id", "user_id"),
            zip(base_ids, operators, strict=False),
        )
        self.base_operator = dict(zip(base_ids, operators, strict=False))
        self.residencies(base_ids)
        self.activities(base_ids)

    def residencies(self, base_ids):
        rng, n = self.rng, self.n["residencies"]
        S = im.Stage
        # Hunan: the 入驻—孵化—评估—出壳 cycle; most residents incubating or out.
        stage = weighted(
            rng,
            [
                (S.GRADUATED, 42),
                (S.INCUBATING, 27),
                (S.ENTERED, 7),
                (S.ASSESSING, 6),
                (S.APPLIED, 5),
                (S.WITHDRAWN, 8),
                (S.TERMINATED, 5),
            ],
        )
        org_ids = self.org_sample(n)  # n ≤ organizations at every scale
        ids = self.writer.ids(im.Residency, n)
        residencies, transitions, milestones, assessments = [], [], [], []
        self.residency_by_base = {}
        start = datetime.date(2016, 1, 1)

        def flush():
            self._residencies_write(residencies, transitions, milestones, assessments)
            for row in residencies:
                if row[3] in im.Residency.OCCUPYING or row[3] == S.GRADUATED:
                    self.residency_by_base.setdefault(row[2], array("l")).append(row[0])
            for rows in (residencies, transitions, milestones, assessments):
                rows.clear()

        for pk, org in zip(ids, org_ids, strict=True):
            if len(residencies) >= CHUNK:
                flush()
            final = stage()
            base = rng.choice(base_ids)
            user = self.base_operator.get(base)
            applied = day_between(rng, start, TODAY - datetime.timedelta(days=20))
            path = [("", S.APPLIED, applied)]
            day = applied
            plan = {
                S.APPLIED: [],
                S.ENTERED: [S.ENTERED],
                S.INCUBATING: [S.ENTERED, S.INCUBATING],
                S.ASSESSING: [S.ENTERED, S.INCUBATING, S.ASSESSING],
                S.GRADUATED: [S.ENTERED, S.INCUBATING, S.ASSESSING, S.GRADUATED],
                S.WITHDRAWN: [S.ENTERED, S.INCUBATING][: rng.randint(0, 2)]
                + [S.WITHDRAWN],
                S.TERMINATED: [S.ENTERED, S.INCUBATING][: rng.randint(1, 2)]
                + [S.TERMINATED],
            }[final]
            gaps = {
                S.ENTERED: (10, 60),
                S.INCUBATING: (7, 30),
                S.ASSESSING: (300, 600),
                S.GRADUATED: (10, 40),
                S.WITHDRAWN: (30, 300),
                S.TERMINATED: (60, 400),
            }
            for to in plan:
                low, high = gaps[to]
                nxt = day + datetime.timedelta(days=rng.randint(low, high))
                if nxt > TODAY:
                    break
                path.append((path[-1][1], to, nxt))
                day = nxt
            final = path[-1][1]
            dates = {to: on for _f, to, on in path}
            entered = dates.get(S.ENTERED)
            closed = day if final in im.Residency.CLOSED else None
            reason = {
                S.WITHDRAWN: "机构主动申请退出",
                S.TERMINATED: "连续两次未参加基地活动，经评议终止入驻",
            }.get(final, "")
            residencies.append(
                (
                    pk,
                    org,
                    base,
                    final,
                    applied,
                    applied + datetime.timedelta(days=30),
                    applied + datetime.timedelta(days=395),
                    entered,
                    dates.get(S.GRADUATED),
                    closed,
                    reason,
                    rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + "、"
                    + rng.choice(SURNAMES)
                    + rng.choice(GIVEN),
                    f"{rng.randint(1, 6)}0{rng.randint(1, 9)}室",
                    day,
                    self.writer.dt(applied),
                    self.writer.dt(day),
                )
            )
            for frm, to, on in path:
                transitions.append((pk, frm, to, on, user, self.writer.dt(on)))
            if entered and final in im.Residency.OCCUPYING:
                for order, (title, days) in enumerate(DEFAULT_MILESTONES):
                    due = entered + datetime.timedelta(days=days)
                    done = (
                        due - datetime.timedelta(days=rng.randint(0, 30))
                        if due < TODAY and rng.random() < 0.75
                        else None
                    )
                    milestones.append((pk, title, due, done, order))
            if final in (S.ASSESSING, S.GRADUATED):
                held = dates[S.ASSESSING] + datetime.timedelta(days=7)
                held = min(held, TODAY)
                result = Decimal(rng.randint(6200, 9500)) / 100
                concluded = final == S.GRADUATED
                assessments.append(
                    (
                        pk,
                        held,
                        Decimal("60"),
                        result if concluded else None,
                        True if concluded else None,
                        self.writer.dt(held) if concluded else None,
                    )
                )
        flush()

    def _residencies_write(self, residencies, transitions, milestones, assessments):
        self.writer.insert(
            im.Residency,
            (
                "id organization_id base_id stage applied_on planned_entry_on "
                "planned_graduation_on entered_on graduated_on closed_on exit_reason "
                "mentors workspace stage_changed_on created_at updated_at"
            ).split(),
            residencies,
        )
        self.writer.insert(
            im.StageTransition,
            ("residency_id", "from_stage", "to_stage", "moved_on", "user_id")
            + ("created_at",),
            transitions,
        )
        self.writer.insert(
            im.Milestone,
            ("residency_id", "title", "due_on", "done_on", "sort_order"),
            milestones,
        )
        self.writer.insert(
            im.Assessment,
            ("residency_id", "held_on", "pass_mark", "result", "passed")
            + ("concluded_at",),
            assessments,
        )

    def activities(self, base_ids):
        rng, n = self.rng, self.n["activities"]
        A = im.ActivityKind
        # Hunan 2023 at the provincial base: 16 trainings, 6 salons, 2 seminars.
        kind = weighted(
            rng, [(A.TRAINING, 16), (A.SALON, 6), (A.SEMINAR, 2), (A.CONSULTATION, 6)]
        )
        topics = (
            "财务管理实务",
            "项目设计与申报",
            "党建工作",
            "等级评估辅导",
            "品牌传播",
        )
        ids = self.writer.ids(im.ServiceActivity, n)
        rows, participants = [], []
        for pk in ids:
            base = rng.choice(base_ids)
            rows.append(
                (
                    pk,
                    base,
                    kind(),
                    day_between(rng, datetime.date(2019, 1, 1), TODAY),
                    rng.choice(topics),
                    Decimal(rng.choice((2, 3, 4, 6))),
                    rng.choice(SURNAMES) + "老师",
                )
            )
            residents = self.residency_by_base.get(base, [])
            for res in rng.sample(residents, min(len(residents), rng.randint(3, 12))):
                participants.append((pk, res))
        self.writer.insert(
            im.ServiceActivity,
            ("id", "base_id", "kind", "held_on", "topic", "hours", "speaker"),
            rows,
        )
        self.writer.insert(
            im.ServiceActivity.participants.through,
            ("serviceactivity_id", "residency_id"),
            participants,
        )
        self.residency_by_base = None

    # ---------------------------------------------------------------- funding
    def funding(self):
        self.step("funds and calls")
        rng = self.rng
        taken = set(fm.Fund.objects.values_list("name", "year"))
        sources = [
            ("湖南省本级福彩公益金", FundSource.LOTTERY_PROVINCE, self.province),
            ("长沙市福彩公益金", FundSource.LOTTERY_CITY, self.capital),
            ("湖南省社会组织公益创投", FundSource.VENTURE, self.province),
            ("中央财政支持社会组织参与社会服务", FundSource.CENTRAL, self.province),
        ]
        funds = []
        for i in range(self.n["funds"]):
            name, source, region = sources[i % len(sources)]
            year = 2026 - (i // len(sources)) % 8
            k = 1
            label = name
            while (label, year) in taken:
                k += 1
                label = f"{name}（{k}）"
            taken.add((label, year))
            funds.append(
                fm.Fund(
                    name=label,
                    source=source,
                    year=year,
                    budget=money(rng.randrange(500, 3000) * 10_000),
                    region=region,
                )
            )
        fm.Fund.objects.bulk_create(funds)
        self.written[fm.Fund._meta.label] = len(funds)
        managers = self.by_role["fund"]
        self.reviewer_ids = self.by_role["reviewer"]
        # Some reviewers are harsher, some more lenient (± 3 points).
        self.reviewer_bias = {
            u: (i % 7 - 3) * 0.01 for i, u in enumerate(self.reviewer_ids)
        }
        self.writer.insert(
            fm.ReviewerProfile,
            ("user_id", "work_unit", "expertise"),
            (
                (
                    u,
                    rng.choice(
                        (
                            "湖南师范大学公共管理学院",
                            "中南大学社会学系",
                            "湖南省社会组织评估专家库",
                            "湖南省审计厅",
                            "长沙民政职业技术学院",
                        )
                    ),
                    rng.choice(("社会工作", "社区治理", "财务审计", "乡村振兴")),
                )
                for u in self.reviewer_ids
            ),
        )
        self.awarded = []  # (award id, fund name, organization)
        n_calls = self.n["calls"]
        per_call = self._split(self.n["applications"], n_calls)
        order = sorted(range(n_calls), key=lambda i: funds[i % len(funds)].year)
        for rank, i in enumerate(order):
            fund = funds[i % len(funds)]
            # The newest calls are still open or in review; the others are decided.
            newest = n_calls - rank
            phase = (
                "open"
                if newest <= max(0, round(n_calls * 0.02))
                else "in_review"
                if newest <= round(n_calls * 0.06)
                else "reviewed"
                if newest <= round(n_calls * 0.08)
                else "decided"
            )
            self.call(fund, i + 1, per_call[i], phase, managers)
            if rank % 20 == 0:
                self.step(f"call {rank + 1}/{n_calls}")
        self.step("the BENCH-LINE call")
        line_fund = max(funds, key=lambda f: f.year)
        self.call(
            line_fund,
            0,
            self.n["line_applications"],
            "line",
            managers,
            name=f"{LINE_CALL_PREFIX} 2026年度省级福彩公益金资助项目（基准）",
        )

    @staticmethod
    def _split(total, parts):
        base, extra = divmod(total, parts)
        return [base + (1 if i < extra else 0) for i in range(parts)]

    def call(self, fund, number, n_apps, phase, managers, name=None):
        rng, w = self.rng, self.writer
        year = fund.year if phase not in ("line",) else 2026
        opens = datetime.date(year, rng.randint(2, 5), 1)
        if phase in ("open", "in_review", "reviewed", "line"):
            opens = TODAY - datetime.timedelta(days=rng.randint(60, 120))
        closes = opens + datetime.timedelta(days=30)
        if phase == "open":
            opens, closes = (
                TODAY - datetime.timedelta(days=10),
                TODAY + datetime.timedelta(days=20),
            )
        requested_mean = 100_000
        budget = money(
            max(1, n_apps) * requested_mean * 0.3 // 10_000 * 10_000 + 200_000
        )
        reviewers_per = 5 if rng.random() < 0.1 and phase != "line" else 3
        reviewers_per = min(reviewers_per, len(self.reviewer_ids))
        call = fm.Call.objects.create(
            fund=fund,
            name=name
            or f"{year}年度{fund.name}{rng.choice(('社会服务', '乡村振兴', '为老服务', '儿童关爱'))}项目申报（第{number}批）",
            opens_on=opens,
            closes_on=closes,
            total_budget=budget,
            max_per_award=money(200_000),
            eligible_levels=[
                RegistrationLevel.PROVINCE,
                RegistrationLevel.CITY,
                RegistrationLevel.COUNTY,
            ],
            eligible_types=[
                OrganizationType.SOCIAL_GROUP,
                OrganizationType.SOCIAL_SERVICE,
                OrganizationType.FOUNDATION,
            ],
            reviewers_per_application=reviewers_per,
            blind_review=rng.random() < 0.7,
            normalise_scores=rng.random() < 0.2,
            review_closed_at=None
            if phase in ("open", "in_review")
            else timezone.make_aware(
                datetime.datetime.combine(
                    closes + datetime.timedelta(days=30), datetime.time(10)
                )
            ),
        )
        self.written[fm.Call._meta.label] = self.written.get(fm.Call._meta.label, 0) + 1
        criteria = fm.Criterion.objects.bulk_create(
            [
                fm.Criterion(
                    call=call,
                    name=cname,
                    description=text,
                    weight=Decimal(weight),
                    max_score=Decimal(weight),
                    sort_order=order,
                )
                for order, (cname, text, weight) in enumerate(RUBRIC)
            ]
        )
        if not criteria[0].pk:
            criteria = list(call.criteria.order_by("sort_order"))
        self.written[fm.Criterion._meta.label] = self.written.get(
            fm.Criterion._meta.label, 0
        ) + len(criteria)
        panel = rng.sample(
            self.reviewer_ids,
            min(
                len(self.reviewer_ids),
                max(reviewers_per, 12 if phase != "line" else 30),
            ),
        )
        manager = rng.choice(managers)
        submitted_on = closes - datetime.timedelta(days=rng.randint(0, 10))
        reviewed_on = closes + datetime.timedelta(days=20)
        decided_on = closes + datetime.timedelta(days=40)

        # Plan every application: organization, request, quality, reviews.
        orgs = self.org_sample(
            n_apps,
            kinds=[
                OrganizationType.SOCIAL_GROUP,
                OrganizationType.SOCIAL_SERVICE,
                OrganizationType.FOUNDATION,
            ],
        )
        plans = []
        for org in orgs:
            quality = min(0.97, max(0.45, rng.gauss(0.80, 0.06)))
            requested = rng.randrange(30, 201) * 1000
            if phase == "open":
                status = rng.choice((AS.DRAFT, AS.SUBMITTED, AS.SUBMITTED, AS.ELIGIBLE))
            elif phase == "line":
                status = AS.REVIEWED
            else:
                draw = rng.random()
                status = (
                    AS.INELIGIBLE
                    if draw < 0.05
                    else AS.WITHDRAWN
                    if draw < 0.07
                    else AS.IN_REVIEW
                    if phase == "in_review"
                    else AS.REVIEWED
                )
            reviews = []
            if status in (AS.IN_REVIEW, AS.REVIEWED):
                for reviewer in rng.sample(panel, reviewers_per):
                    bias = self.reviewer_bias[reviewer]
                    if phase != "line" and rng.random() < 0.01:
                        reviews.append((reviewer, ReviewStatus.CONFLICT, None))
                        continue
                    if status == AS.IN_REVIEW and rng.random() < 0.4:
                        reviews.append(
                            (
                                reviewer,
                                rng.choice((ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)),
                                None,
                            )
                        )
                        continue
                    share = quality + bias
                    scores = [
                        max(
                            0.0,
                            min(
                                float(m),
                                round(m * min(1.0, share + rng.gauss(0, 0.04)) * 2) / 2,
                            ),
                        )
                        for _c, _t, m in RUBRIC
                    ]
                    reviews.append((reviewer, ReviewStatus.SUBMITTED, scores))
            totals = [sum(s) for _r, st, s in reviews if st == ReviewStatus.SUBMITTED]
            mean = sum(totals) / len(totals) if totals else None
            plans.append([org, requested, status, reviews, mean, None])

        # Decided calls: fund down the ranking until the budget is spent.
        if phase == "decided":
            left = int(budget)
            ranked = sorted((p for p in plans if p[4] is not None), key=lambda p: -p[4])
            age = TODAY.year - year
            for p in ranked:
                if p[1] <= left:
                    left -= p[1]
                    p[5] = p[1] if rng.random() < 0.7 else p[1] * 9 // 10 // 1000 * 1000
                    p[2] = (
                        rng.choice((AS.COMPLETED,) * 9 + (AS.TERMINATED,))
                        if age >= 2
                        else rng.choice((AS.IN_PROGRESS, AS.MIDTERM_CHECKED))
                        if age == 1
                        else AS.AWARDED
                    )
                else:
                    p[2] = AS.REJECTED

        # Write applications, reviews and scores.
        app_ids = w.ids(fm.Application, len(plans))
        region_of = self.org_region
        w.insert(
            fm.Application,
            (
                "id call_id organization_id title requested_amount target_region_id "
                "beneficiaries beneficiary_count status submitted_at eligibility_failures "
                "decision_note decided_by_id decided_at approved_amount"
            ).split(),
            (
                (
                    pk,
                    call.pk,
                    p[0],
                    f"{region_of(p[0]).name}{rng.choice(APPLICATION_WORDS)}",
                    money(p[1]),
                    region_of(p[0]).pk,
                    rng.choice(
                        ("留守儿童", "空巢老人", "困难家庭", "残疾人", "社区居民")
                    ),
                    rng.randint(50, 3000),
                    p[2],
                    None if p[2] == AS.DRAFT else w.dt(submitted_on),
                    json.dumps(["organization_level"] if p[2] == AS.INELIGIBLE else []),
                    "" if p[5] is None else "按评审排名立项",
                    manager if p[5] is not None else None,
                    w.dt(decided_on) if p[5] is not None else None,
                    None if p[5] is None else money(p[5]),
                )
                for pk, p in zip(app_ids, plans, strict=True)
            ),
        )
        n_reviews = sum(len(p[3]) for p in plans)
        review_ids = iter(w.ids(fm.Review, n_reviews))
        review_rows, score_rows = [], []
        crit = [(c.pk, c.name, c.weight, c.max_score) for c in criteria]

        def flush():
            w.insert(
                fm.Review,
                (
                    "id application_id reviewer_id status recommendation total "
                    "conflict_reason assigned_by_id assigned_at submitted_at"
                ).split(),
                review_rows,
            )
            w.insert(
                fm.Score,
                (
                    "review_id",
                    "criterion_id",
                    "criterion_name",
                    "weight",
                    "max_score",
                    "score",
                ),
                score_rows,
            )
            review_rows.clear()
            score_rows.clear()

        assigned_at = w.dt(closes + datetime.timedelta(days=2))
        for app, p in zip(app_ids, plans, strict=True):
            for reviewer, status, scores in p[3]:
                rid = next(review_ids)
                total = (
                    Decimal(str(sum(scores))).quantize(Decimal("0.01"))
                    if scores
                    else None
                )
                recommendation = (
                    ""
                    if total is None
                    else Recommendation.FUND
                    if total >= 80
                    else Recommendation.FUND_REDUCED
                    if total >= 70
                    else Recommendation.REJECT
                )
                review_rows.append(
                    (
                        rid,
                        app,
                        reviewer,
                        status,
                        recommendation,
                        total,
                        "曾为该机构提供咨询服务"
                        if status == ReviewStatus.CONFLICT
                        else "",
                        manager,
                        assigned_at,
                        w.dt(reviewed_on) if scores else None,
                    )
                )
                if scores:
                    for (cid, cname, weight, max_score), score in zip(
                        crit, scores, strict=True
                    ):
                        score_rows.append(
                            (rid, cid, cname, weight, max_score, Decimal(str(score)))
                        )
            if len(score_rows) > 20_000:
                flush()
        flush()
        if phase == "decided":
            self.awards(call, fund, app_ids, plans, decided_on, manager)

    def awards(self, call, fund, app_ids, plans, decided_on, manager):
        rng, w = self.rng, self.writer
        awarded = [
            (app, p) for app, p in zip(app_ids, plans, strict=True) if p[5] is not None
        ]
        if not awarded:
            return
        starts = decided_on + datetime.timedelta(days=3)
        notice = fm.PublicNotice.objects.create(
            call=call,
            title=f"{call.name}立项公示",
            starts_on=starts,
            working_days=call.public_notice_days,
            ends_on=starts + datetime.timedelta(days=7),
            objection_contact="湖南省民政厅社会组织管理局 0731-00000000",
            published_by_id=manager,
            closed_on=starts + datetime.timedelta(days=8),
        )
        self.written[fm.PublicNotice._meta.label] = (
            self.written.get(fm.PublicNotice._meta.label, 0) + 1
        )
        awarded_on = starts + datetime.timedelta(days=9)
        award_ids = w.ids(fm.Award, len(awarded))
        tranche_ids = iter(w.ids(fm.Tranche, 2 * len(awarded)))
        awards, tranches, payments = [], [], []
        finance = self.by_role["finance"]
        # Separation of duties (DESIGN.md): another fund manager records the
        # payments the call's manager approves; finance pays.
        recorder = next((m for m in self.by_role["fund"] if m != manager), manager)
        for pk, (app, p) in zip(award_ids, awarded, strict=True):
            amount = p[5]
            done = p[2] == AS.COMPLETED
            terminated = p[2] == AS.TERMINATED
            ends = awarded_on + datetime.timedelta(days=365)
            awards.append(
                (
                    pk,
                    app,
                    notice.pk,
                    money(amount),
                    awarded_on,
                    f"HN-{call.pk:03d}-{pk:06d}",
                    awarded_on + datetime.timedelta(days=10),
                    ends if done else None,
                    ends if terminated else None,
                    "项目执行严重滞后，经督促仍未整改" if terminated else "",
                    money(amount * 6 // 10) if terminated else None,
                )
            )
            first = amount * 6 // 10
            for order, (share, part, cond) in enumerate(
                (
                    (60, first, TrancheCondition.SIGNING),
                    (40, amount - first, TrancheCondition.FINAL_REPORT),
                )
            ):
                tid = next(tranche_ids)
                tranches.append((tid, pk, order, Decimal(share), money(part), cond))
                paid = order == 0 and p[2] != AS.AWARDED or order == 1 and done
                if paid:
                    on = awarded_on + datetime.timedelta(days=20 if order == 0 else 380)
                    payments.append(
                        (
                            tid,
                            money(part),
                            DisbursementStatus.PAID,
                            recorder,
                            w.dt(on),
                            manager,
                            w.dt(on),
                            rng.choice(finance),
                            on,
                        )
                    )
            self.awarded.append((pk, fund.name, p[0], amount))
        w.insert(
            fm.Award,
            (
                "id application_id notice_id approved_amount awarded_on agreement_number "
                "agreement_signed_on completed_on terminated_on termination_reason "
                "paid_at_termination"
            ).split(),
            awards,
        )
        w.insert(
            fm.Tranche,
            ("id", "award_id", "sort_order", "percentage", "amount", "condition"),
            tranches,
        )
        w.insert(
            fm.Disbursement,
            (
                "tranche_id amount status recorded_by_id recorded_at approved_by_id "
                "approved_at paid_by_id paid_on"
            ).split(),
            payments,
        )

    # ---------------------------------------------------------------- purchases
    def purchases(self):
        self.step("government service purchases")
        rng, w, n = self.rng, self.writer, self.n["purchases"]
        method = weighted(
            rng,
            [
                (ProcurementMethod.OPEN_TENDER, 30),
                (ProcurementMethod.CONSULTATION, 25),
                (ProcurementMethod.NEGOTIATION, 15),
                (ProcurementMethod.INQUIRY, 10),
                (ProcurementMethod.SINGLE_SOURCE, 10),
                (ProcurementMethod.INVITED_TENDER, 5),
                (ProcurementMethod.OTHER, 5),
            ],
        )
        category = weighted(
            rng,
            [
                (ServiceCategory.BASIC_PUBLIC, 45),
                (ServiceCategory.SOCIAL_GOVERNANCE, 30),
                (ServiceCategory.INDUSTRY, 8),
                (ServiceCategory.TECHNICAL, 7),
                (ServiceCategory.AUXILIARY, 10),
            ],
        )
        ids = w.ids(fm.ServicePurchase, n)
        suppliers = self.org_sample(
            n, kinds=[OrganizationType.SOCIAL_SERVICE, OrganizationType.SOCIAL_GROUP]
        )
        rows, instalments, evaluations = [], [], []
        for pk, supplier in zip(ids, suppliers, strict=True):
            region = self.org_region(supplier)
            signed = day_between(rng, datetime.date(2016, 1, 1), TODAY)
            ends = signed + datetime.timedelta(days=rng.choice((180, 365, 730)))
            amount = rng.randrange(5, 300) * 10_000
            rows.append(
                (
                    pk,
                    f"{region.name}{rng.choice(('居家养老服务', '社区矫正社会工作服务', '未成年人保护服务', '社会救助服务'))}",
                    f"{region.name}民政局",
                    region.pk,
                    category(),
                    method(),
                    f"GP-{signed.year}-{pk:06d}",
                    money(amount),
                    signed,
                    signed + datetime.timedelta(days=7),
                    ends,
                    supplier,
                )
            )
            first = amount // 2
            instalments.append(
                (
                    pk,
                    0,
                    "首期款",
                    signed + datetime.timedelta(days=15),
                    money(first),
                    False,
                )
            )
            instalments.append((pk, 1, "尾款", ends, money(amount - first), True))
            if ends < TODAY:
                score = rng.randint(6500, 9800)
                grade = (
                    Grade.EXCELLENT
                    if score >= 9000
                    else Grade.GOOD
                    if score >= 8000
                    else Grade.FAIR
                )
                evaluations.append(
                    (
                        pk,
                        ends + datetime.timedelta(days=30),
                        "第三方评估机构",
                        Decimal(score) / 100,
                        grade,
                    )
                )
        w.insert(
            fm.ServicePurchase,
            (
                "id title purchasing_department region_id service_category "
                "procurement_method contract_number contract_amount signed_on "
                "starts_on ends_on supplier_id"
            ).split(),
            rows,
        )
        w.insert(
            fm.PaymentInstalment,
            ("purchase_id", "sort_order", "label", "due_on", "amount", "is_final"),
            instalments,
        )
        w.insert(
            fm.PerformanceEvaluation,
            ("purchase_id", "evaluated_on", "evaluator", "score", "grade"),
            evaluations,
        )

    # ---------------------------------------------------------------- revitalization
    def revitalization(self):
        self.step("villages, alliances and pairings")
        rng, w = self.rng, self.writer
        indicators = list(indicators_ensure().values())
        home = self.home_key or self.counties[:15]
        far = self.far_key
        # Villages in the key counties (and a few others).
        taken = set(pm.Village.objects.values_list("county_id", "town", "name"))
        villages = []
        while len(villages) < self.n["villages"]:
            county = rng.choice(home) if rng.random() < 0.7 else self.county_pick()
            town = rng.choice(TOWNS) + "镇"
            word = rng.choice(VILLAGE_WORDS)
            key = (county.pk, town, word + "村")
            k = 1
            while key in taken:
                k += 1
                key = (county.pk, town, f"{word}{k}组村")
            taken.add(key)
            villages.append(key)
        village_ids = w.ids(pm.Village, len(villages))
        w.insert(
            pm.Village,
            ("id", "county_id", "town", "name"),
            [(pk, *v) for pk, v in zip(village_ids, villages, strict=True)],
        )
        by_county = {}
        for pk, v in zip(village_ids, villages, strict=True):
            by_county.setdefault(v[0], []).append(pk)
        names = set(pm.Alliance.objects.values_list("name", flat=True))
        alliances = []
        for i in range(self.n["alliances"]):
            county = rng.choice(home + far) if far else rng.choice(home)
            name = f"{county.name}乡村振兴合力团"
            if name in names:
                name = f"{county.name}乡村振兴合力团（第{i + 1}团）"
            names.add(name)
            alliances.append((county.pk, name))
        alliance_ids = w.ids(pm.Alliance, len(alliances))
        w.insert(
            pm.Alliance,
            ("id", "county_id", "name", "lead_organization_id", "formed_on"),
            [
                (
                    pk,
                    c,
                    name,
                    rng.choice(self.org_ids),
                    day_between(
                        rng, datetime.date(2021, 1, 1), datetime.date(2024, 12, 31)
                    ),
                )
                for pk, (c, name) in zip(alliance_ids, alliances, strict=True)
            ],
        )
        alliance_by_county = {}
        for pk, (c, _name) in zip(alliance_ids, alliances, strict=True):
            alliance_by_county.setdefault(c, []).append(pk)
        # Pairings: Hunan's organizations with its key counties (108 with 15),
        # other counties, and Suzhou organizations with Shaanxi (cross-province).
        n = self.n["pairings"]
        pairing_ids = w.ids(pm.Pairing, n)
        orgs = self.org_sample(n)
        suzhou = {
            i
            for i, region in enumerate(self.region_list)
            if region.code.startswith(CROSS_PROVINCE)
        }
        start = self.org_ids.start
        suzhou_orgs = array(
            "l", (start + i for i, r in enumerate(self.org_region_ix) if r in suzhou)
        )
        pairings, coordinators = [], []
        self.pairing_county = {}
        self.pairing_org = {}
        coords = self.by_role["coordinator"]
        for i, (pk, org) in enumerate(zip(pairing_ids, orgs, strict=True)):
            draw = rng.random()
            if draw < 0.03 and far and suzhou_orgs:
                org, county = rng.choice(suzhou_orgs), rng.choice(far)
            elif draw < 0.7:
                county = rng.choice(home)
            else:
                county = self.county_pick()
            options = by_county.get(county.pk)
            village = rng.choice(options) if options and rng.random() < 0.7 else None
            allied = alliance_by_county.get(county.pk)
            alliance = rng.choice(allied) if allied and rng.random() < 0.5 else None
            start = day_between(
                rng, datetime.date(2021, 1, 1), datetime.date(2024, 6, 30)
            )
            pairings.append(
                (
                    pk,
                    org,
                    county.pk,
                    village,
                    alliance,
                    start,
                    None,
                    f"JD-{start.year}-{pk:05d}",
                )
            )
            coordinators.append((pk, coords[i % len(coords)]))
            self.pairing_county[pk] = county
            self.pairing_org[pk] = org
        w.insert(
            pm.Pairing,
            (
                "id",
                "organization_id",
                "county_id",
                "village_id",
                "alliance_id",
                "start_date",
                "end_date",
                "agreement_number",
            ),
            pairings,
        )
        w.insert(
            pm.Pairing.coordinators.through, ("pairing_id", "user_id"), coordinators
        )
        self.projects(list(pairing_ids), indicators)

    def projects(self, pairing_ids, indicators):
        self.step("projects and outcome reports")
        rng, w = self.rng, self.writer
        C = ProjectCategory
        category = weighted(
            rng,
            [
                (C.INDUSTRY, 20),
                (C.CONSUMPTION, 18),
                (C.EMPLOYMENT, 10),
                (C.EDUCATION, 12),
                (C.MEDICAL, 8),
                (C.CABIN_BABY, 6),
                (C.CABIN_READING, 6),
                (C.CABIN_LIVESTREAM, 5),
                (C.CABIN_DOCTOR, 5),
                (C.OTHER, 10),
            ],
        )
        frequency = weighted(
            rng,
            [
                (PeriodType.HALF_YEAR, 60),
                (PeriodType.QUARTER, 30),
                (PeriodType.YEAR, 10),
            ],
        )
        reports_for = {
            PeriodType.QUARTER: 8,
            PeriodType.HALF_YEAR: 6,
            PeriodType.YEAR: 3,
        }
        n = self.n["projects"]
        project_ids = w.ids(pm.Project, n)
        plans = []
        for pk in project_ids:
            cat = category()
            freq = frequency()
            start = day_between(
                rng, datetime.date(2019, 1, 1), datetime.date(2023, 6, 30)
            )
            plans.append(
                (pk, rng.choice(pairing_ids), cat, freq, start, reports_for[freq])
            )
        total_reports = sum(p[5] for p in plans)
        lines_left = self.n["outcome_lines"]
        per_report, extra = divmod(lines_left, total_reports)
        if per_report + (1 if extra else 0) > len(indicators):
            raise BenchError(
                "Too many outcome lines per report for the indicator catalogue."
            )
        status = weighted(
            rng,
            [
                (ProjectStatus.COMPLETED, 40),
                (ProjectStatus.IN_PROGRESS, 50),
                (ProjectStatus.PLANNED, 5),
                (ProjectStatus.TERMINATED, 5),
            ],
        )
        project_rows, links = [], []
        awarded = self.awarded
        own_awards = {}
        for item in awarded:
            own_awards.setdefault(item[2], item)
        award_type = ContentType.objects.get_for_model(fm.Award).pk
        for pk, pairing, cat, freq, start, _k in plans:
            county = self.pairing_county[pairing]
            budget = rng.randrange(5, 200) * 10_000
            project_rows.append(
                (
                    pk,
                    pairing,
                    f"{county.name}{rng.choice(PROJECT_WORDS[cat])}",
                    cat,
                    start,
                    start + datetime.timedelta(days=rng.choice((365, 730, 1095))),
                    money(budget),
                    status(),
                    freq,
                )
            )
            if awarded and rng.random() < 0.3:
                award, fund_name, org, amount = rng.choice(awarded)
                # a project uses only its own organization's awards: another's
                # draw becomes the own award, if there is one
                own = own_awards.get(self.pairing_org[pairing])
                if org != self.pairing_org[pairing] and own:
                    award, fund_name, org, amount = own
            else:
                org = None
            if org is not None and org == self.pairing_org[pairing]:
                links.append(
                    (
                        pk,
                        FundingKind.GRANT_AWARD,
                        fund_name,
                        money(min(amount, budget) or 1000),
                        award_type,
                        award,
                    )
                )
            links.append(
                (
                    pk,
                    FundingKind.SELF_RAISED,
                    "机构自筹",
                    money(max(1000, budget // 3)),
                    None,
                    None,
                )
            )
        w.insert(
            pm.Project,
            (
                "id",
                "pairing_id",
                "title",
                "category",
                "start_date",
                "end_date",
                "budget",
                "status",
                "reporting_frequency",
            ),
            project_rows,
        )
        w.insert(
            pm.FundingLink,
            (
                "project_id",
                "kind",
                "fund_name",
                "amount",
                "source_type_id",
                "source_id",
            ),
            links,
        )
        project_rows = links = None

        # Reports and their lines, streamed.
        by_code = {i.code: i for i in indicators}
        relevant = {
            C.CONSUMPTION: ["produce_sold"],
            C.INDUSTRY: ["produce_sold", "jobs"],
            C.EMPLOYMENT: ["jobs", "trainings"],
            C.CABIN_BABY: ["cabins_baby"],
            C.CABIN_READING: ["cabins_reading"],
            C.CABIN_LIVESTREAM: ["cabins_livestream"],
            C.CABIN_DOCTOR: ["cabins_doctor"],
        }
        base_codes = [
            "money_invested",
            "beneficiaries",
            "trainings",
            "poor_household_coverage",
            "jobs",
            "produce_sold",
        ]
        all_codes = [i.code for i in indicators]
        report_ids = iter(w.ids(pm.OutcomeReport, total_reports))
        coords = self.by_role["coordinator"]
        report_rows, line_rows = [], []
        report_no = 0

        def flush():
            w.insert(
                pm.OutcomeReport,
                (
                    "id project_id period_type year number start_date end_date status "
                    "created_by_id created_at submitted_at decided_by_id decided_at"
                ).split(),
                report_rows,
            )
            w.insert(
                pm.OutcomeLine,
                (
                    "report_id",
                    "indicator_id",
                    "target",
                    "actual",
                    "numerator",
                    "denominator",
                ),
                line_rows,
            )
            report_rows.clear()
            line_rows.clear()

        for pk, _pairing, cat, freq, start, k in plans:
            order = list(dict.fromkeys(relevant.get(cat, []) + base_codes + all_codes))
            per_year = PERIODS_PER_YEAR[freq]
            year, number = start.year, (start.month - 1) * per_year // 12 + 1
            coordinator = coords[pk % len(coords)]
            beneficiaries = 0
            for idx in range(k):
                rid = next(report_ids)
                s, e = period_bounds(freq, year, number)
                last = idx == k - 1
                st = (
                    rng.choice(
                        (ReportStatus.APPROVED,) * 5
                        + (ReportStatus.SUBMITTED,) * 3
                        + (ReportStatus.DRAFT, ReportStatus.RETURNED)
                    )
                    if last
                    else ReportStatus.APPROVED
                )
                filed = e + datetime.timedelta(days=15)
                report_rows.append(
                    (
                        rid,
                        pk,
                        freq,
                        year,
                        number,
                        s,
                        e,
                        st,
                        coordinator,
                        w.dt(filed),
                        None if st == ReportStatus.DRAFT else w.dt(filed),
                        coordinator
                        if st in (ReportStatus.APPROVED, ReportStatus.RETURNED)
                        else None,
                        w.dt(filed + datetime.timedelta(days=10))
                        if st in (ReportStatus.APPROVED, ReportStatus.RETURNED)
                        else None,
                    )
                )
                count = per_report + (1 if report_no < extra else 0)
                report_no += 1
                beneficiaries += rng.randint(20, 400)
                for code in order[:count]:
                    ind = by_code[code]
                    if code == "poor_household_coverage":
                        den = rng.randint(50, 400)
                        num = rng.randint(den // 2, den)
                        actual = (Decimal(num * 100) / den).quantize(Decimal("0.01"))
                        line_rows.append((rid, ind.pk, 90, actual, num, den))
                        continue
                    if code == "beneficiaries":
                        value = beneficiaries
                    elif code == "money_invested":
                        value = rng.randrange(1, 40) * 5_000
                    elif code == "produce_sold":
                        value = rng.randrange(1, 100) * 2_000
                    elif code.startswith("cabins_"):
                        value = rng.randint(0, 3)
                    elif code == "jobs":
                        value = rng.randint(0, 25)
                    else:
                        value = rng.randint(0, 6)
                    target = int(value * rng.uniform(0.9, 1.2))
                    line_rows.append((rid, ind.pk, target, value, None, None))
                number += 1
                if number > per_year:
                    year, number = year + 1, 1
            if len(line_rows) >= 20_000:
                flush()
        flush()

    # ---------------------------------------------------------------- public site
    def site(self):
        """The public pages the benchmark times: home, showcase index with pages
        for graduated organizations, statistics (kept when seed_demo made them)."""

        from cms.models import OrganizationShowcasePage
        from cms.skeleton import site_skeleton_ensure

        self.step("public site pages")
        index = site_skeleton_ensure()["showcase"]
        graduated = list(
            im.Residency.objects.filter(
                stage=im.Stage.GRADUATED,
                organization_id__gte=self.org_ids.start,
                organization_id__lt=self.org_ids.stop,
            )
            .order_by("pk")
            .values_list("organization_id", "organization__name", "graduated_on")[
                : self.n["showcases"]
            ]
        )
        self.written[OrganizationShowcasePage._meta.label] = showcase_pages_add(
            index, graduated
        )


def showcase_pages_add(index, graduated):
    """Published showcase pages under `index`, one per (organization id, name,
    graduation date) of `graduated` whose slug (`bench-organization-<id>`) no child
    of the index has yet; returns how many were added.

    Each page is placed in the tree as treebeard's `add_child` places it (the next
    path step under the index, its depth, an empty leaf), without `add_child`'s
    query for the last child and update of the index per page: the index's child
    count is moved once at the end. Each is then saved and published by Wagtail as
    an editor's first publication is (a revision, the publish log entry).

    Raises treebeard's `PathOverflow` when the index has no path step left."""
    from treebeard.exceptions import PathOverflow
    from wagtail.models import Page

    from cms.models import OrganizationShowcasePage

    taken = set(Page.objects.child_of(index).values_list("slug", flat=True))
    last = index.get_last_child()
    step = index._str2int(last.path[-index.steplen :]) if last else 0
    steps = len(index.alphabet) ** index.steplen
    added = 0
    with transaction.atomic():
        for organization, name, graduated_on in graduated:
            slug = f"bench-organization-{organization}"
            if slug in taken:
                continue
            taken.add(slug)
            step += 1
            if step >= steps:
                raise PathOverflow(f"no path step left under {index.url_path}")
            page = OrganizationShowcasePage(
                title=name,
                slug=slug,
                path=index._get_path(index.path, index.depth + 1, step),
                depth=index.depth + 1,
                numchild=0,
                live=False,
                organization_id=organization,
                graduation_year=graduated_on.year,
                summary="孵化出壳后承接政府购买服务和公益金项目，服务困难群众。",
            )
            page._cached_parent_obj = index  # Page.save reads the parent's URL path
            page.save()
            page.save_revision().publish()
            added += 1
        type(index).objects.filter(pk=index.pk).update(
            numchild=models.F("numchild") + added
        )
    index.numchild += added
    return added
