"""Load: public readers, incubation-base operators and grant reviewers at once,
against gunicorn (3 workers) on PostgreSQL, then the database checked against what
the clients were told: no error responses, no lost and no doubled writes.

The test creates the accounts and records in its own (transactional, so committed)
test database, starts gunicorn on a free port of 127.0.0.1 against that database,
and runs locust headless for RUN_SECONDS with tests/platform/load/locustfile.py. Locust
writes every write it attempted and every one the server confirmed; the figures
(requests, failures, median and p95) go to test-artifacts/load/. No timing is
asserted.
"""

import collections
import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core import roles
from funding.choices import ApplicationStatus, ReviewStatus
from funding.models import Application, Review, Score
from funding.services.assignment import review_assign
from incubator.models import Milestone, Residency, ServiceActivity, Stage
from incubator.models.residencies import StageTransition
from incubator.services.residencies import residency_admit
from tests.fixtures.users import PASSWORD
from tests.support.processes import (
    BASE_DIR,
    free_port,
    log_tail,
    start,
    stop,
    subprocess_env,
    wait_for_http,
)

pytestmark = [
    pytest.mark.load,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the load test runs gunicorn on PostgreSQL (CI's second run, with "
        "DATABASE_URL=postgres://…); SQLite takes one writer at a time",
    ),
]

RUN_SECONDS = 20
READERS = 6
OPERATORS = 3
RESIDENCIES_PER_BASE = 3
REVIEWERS = 4
APPLICATIONS = 8  # two reviewers each: 16 reviews, 4 per reviewer
SCORES = [24, 30, 27]  # of 30, 40, 30 with weights 30, 40, 30: total 81.00
ARTIFACTS = BASE_DIR / "test-artifacts" / "load"


@pytest.fixture
def plan(
    cms_site,
    make_showcase,
    make_news,
    make_base,
    make_user,
    make_organization,
    make_call,
    make_application,
    make_reviewer,
):
    today = timezone.localdate()
    organizations = [make_showcase().url for _ in range(4)]
    make_news()

    operators = []
    for n in range(1, OPERATORS + 1):
        user = make_user(f"load_operator{n}", roles.OPERATOR)
        base = make_base(f"压测孵化基地{n}", operators=[user])
        residencies = [
            residency_admit(organization=make_organization(), base=base, enter=True)
            for _ in range(RESIDENCIES_PER_BASE)
        ]
        operators.append(
            {
                "username": user.username,
                "base": base.pk,
                "residencies": [r.pk for r in residencies],
                # two milestones of each residency, in turn
                "milestones": [
                    [r.pk, m.pk]
                    for index in range(2)
                    for r in residencies
                    for m in [list(r.milestones.order_by("due_on", "pk"))[index]]
                ],
            }
        )

    call = make_call(reviewers_per_application=2, total_budget=Decimal("1200000"))
    criteria = list(call.criteria.all())
    experts = [make_reviewer(f"load_expert{n}") for n in range(1, REVIEWERS + 1)]
    reviews = collections.defaultdict(list)
    for n in range(APPLICATIONS):
        application = make_application(
            call=call, status=ApplicationStatus.ELIGIBLE, title=f"压测申报项目{n}"
        )
        for expert in (experts[n % REVIEWERS], experts[(n + 1) % REVIEWERS]):
            reviews[expert].append(review_assign(application, expert))
    reviewers = [
        {
            "username": expert.username,
            "reviews": [
                {
                    "pk": review.pk,
                    "scores": {
                        str(c.pk): s for c, s in zip(criteria, SCORES, strict=True)
                    },
                    # the 1st and 3rd of each reviewer's reviews: submitted twice
                    "double": index in (0, 2),
                }
                for index, review in enumerate(reviews[expert])
            ],
        }
        for expert in experts
    ]
    return {
        "password": PASSWORD,
        "today": today.isoformat(),
        "readers": READERS,
        "operators": operators,
        "reviewers": reviewers,
        "pages": {
            "showcase": cms_site["showcase"].url,
            "statistics": cms_site["statistics"].url,
            "news": cms_site["news"].url,
            "organizations": organizations,
        },
        "admin": {
            "residencies": reverse("wagtailsnippets_incubator_residency:list"),
            "activities": reverse("wagtailsnippets_incubator_serviceactivity:list"),
            "activity_add": reverse("wagtailsnippets_incubator_serviceactivity:add"),
            "organizations": reverse("wagtailsnippets_incubator_organization:list"),
            "residency_edit": reverse(
                "wagtailsnippets_incubator_residency:edit", args=[0]
            ).replace("/0/", "/{pk}/"),
            "residency_move": reverse("incubator_residency_move", args=[0]).replace(
                "/0/", "/{pk}/"
            ),
            "my_reviews": reverse("funding_my_reviews"),
            "review": reverse("funding_review_score", args=[0]).replace(
                "/0/", "/{pk}/"
            ),
        },
    }


@pytest.fixture
def server(plan, tmp_path):
    """gunicorn with 3 workers on a free port of 127.0.0.1, against this test's
    database; stopped at the end, pass or fail."""
    port = free_port()
    env = subprocess_env(MEDIA_ROOT=tmp_path / "media", CONN_MAX_AGE=60)
    process = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=3",
            "--timeout=60",
            "--graceful-timeout=5",
            "--access-logfile=-",
        ],
        env,
        tmp_path / "gunicorn.log",
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)


def _locust(plan, host, tmp_path):
    plan_file, results_file = tmp_path / "plan.json", tmp_path / "results.json"
    plan_file.write_text(json.dumps(plan))
    users = READERS + OPERATORS + REVIEWERS
    env = subprocess_env(
        LOAD_PLAN=plan_file, LOAD_RESULTS=results_file, PYTHONPATH=BASE_DIR
    )
    completed = subprocess.run(  # noqa: S603 - our interpreter, our locustfile
        [
            sys.executable,
            "-m",
            "locust",
            "--locustfile=tests/platform/load/locustfile.py",
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={RUN_SECONDS}s",
            "--stop-timeout=60",  # users finish the task they are in
            f"--host={host}",
            f"--csv={tmp_path / 'load'}",
            "--only-summary",
            "--loglevel=WARNING",
            "--exit-code-on-error=0",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS + 120,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    with open(tmp_path / "load_stats.csv", newline="") as stats_file:
        stats = {row["Name"]: row for row in csv.DictReader(stats_file)}
    with open(tmp_path / "load_failures.csv", newline="") as failures_file:
        failures = list(csv.DictReader(failures_file))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("load_stats.csv", "load_failures.csv", "results.json"):
        shutil.copy(tmp_path / name, ARTIFACTS / name)
    return stats, failures, json.loads(results_file.read_text()), completed


def _ms(value):
    return None if value in ("", "N/A") else float(value)


def _summary(stats):
    total = stats["Aggregated"]
    summary = {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "median_ms": _ms(total["Median Response Time"]),
        "p95_ms": _ms(total["95%"]),
        "requests_per_s": float(total["Requests/s"]),
        "by_name": {
            name: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": _ms(row["Median Response Time"]),
                "p95_ms": _ms(row["95%"]),
            }
            for name, row in stats.items()
            if name != "Aggregated"
        },
    }
    (ARTIFACTS / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2)
    )
    return summary


def test_readers_operators_and_reviewers_at_once(plan, server, tmp_path):
    host, process = server
    stats, failures, results, run = _locust(plan, host, tmp_path)
    summary = _summary(stats)
    print(  # shown with -s or on failure: the figures of this run
        f"\nload: {summary['requests']} requests, {summary['failures']} failures, "
        f"median {summary['median_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms"
    )

    # No error responses: every request answered as expected (2xx, a redirect after a
    # form, or the clean refusal of a second submission).
    assert summary["failures"] == 0, (
        failures,
        results["unexpected"],
        log_tail(process),
    )
    assert results["unexpected"] == []
    for name in [
        "public: home",
        "public: showcase",
        "public: organization page",
        "public: statistics",
        "admin: residencies",
        "admin: record activity",
        "admin: milestone done",
        "admin: move stage",
        "admin: submit review",
        "admin: submit review twice",
    ]:
        assert summary["by_name"][name]["requests"] > 0, name

    _check_activities(plan, results["activities"])
    _check_milestones(plan, results["milestones"])
    _check_moves(plan, results["moves"])
    _check_reviews(plan, results)
    # the stored outcome totals still match the outcome lines (exit code 1 otherwise)
    call_command("verify_rollups", stdout=io.StringIO())


def _check_activities(plan, results):
    """Each activity the server confirmed is stored exactly once, with its
    participants; nothing is stored that was not attempted."""
    stored = collections.Counter(
        ServiceActivity.objects.filter(topic__startswith="压力测试培训").values_list(
            "topic", flat=True
        )
    )
    assert results["succeeded"], "no activity was recorded"
    assert all(stored[topic] == 1 for topic in results["succeeded"])
    assert set(stored) <= set(results["attempted"])
    assert max(stored.values()) == 1
    residencies = {o["base"]: set(o["residencies"]) for o in plan["operators"]}
    for activity in ServiceActivity.objects.filter(topic__in=list(stored)):
        assert activity.held_on.isoformat() == plan["today"]
        assert activity.hours == Decimal("2.5")
        assert (
            set(activity.participants.values_list("pk", flat=True))
            == (residencies[activity.base_id])
        )
        assert activity.history.filter(history_type="+").count() == 1  # created once


def _check_milestones(plan, results):
    assert results["succeeded"], "no milestone was marked done"
    done = set(
        Milestone.objects.filter(done_on__isnull=False).values_list("pk", flat=True)
    )
    assert set(results["succeeded"]) <= done <= set(results["attempted"])
    assert all(
        m.done_on.isoformat() == plan["today"] and m.note == "压力测试中完成"
        for m in Milestone.objects.filter(pk__in=done)
    )


def _check_moves(plan, results):
    """Each confirmed move happened once: one transition into 孵化 per residency."""
    assert results["succeeded"], "no residency was moved"
    moved = set(
        Residency.objects.filter(stage=Stage.INCUBATING).values_list("pk", flat=True)
    )
    assert set(results["succeeded"]) <= moved <= set(results["attempted"])
    into = collections.Counter(
        StageTransition.objects.filter(to_stage=Stage.INCUBATING).values_list(
            "residency_id", flat=True
        )
    )
    assert set(into) == moved and set(into.values()) == {1}


def _check_reviews(plan, results):
    """Every assigned review was submitted exactly once: one confirmed submission
    per review, one set of scores, one log entry; the second of two simultaneous
    submissions was refused."""
    assigned = [r["pk"] for account in plan["reviewers"] for r in account["reviews"]]
    confirmed = collections.Counter(results["reviews"]["succeeded"])
    assert confirmed == collections.Counter(assigned)
    for double in results["double_submits"]:
        assert sorted(double["outcomes"]) == ["refused", "submitted"], double
    assert len(results["double_submits"]) == 2 * REVIEWERS

    reviews = Review.objects.filter(pk__in=assigned)
    assert set(reviews.values_list("status", flat=True)) == {ReviewStatus.SUBMITTED}
    # 24/30·30 + 30/40·40 + 27/30·30 = 24 + 30 + 27 = 81.00 for every review
    assert set(reviews.values_list("total", flat=True)) == {Decimal("81.00")}
    per_review = collections.Counter(
        Score.objects.filter(review__in=reviews).values_list("review_id", flat=True)
    )
    assert per_review == collections.Counter(dict.fromkeys(assigned, 3))
    logged = collections.Counter(
        int(pk)
        for pk in ModelLogEntry.objects.filter(
            action="funding.review_submitted"
        ).values_list("object_id", flat=True)
    )
    assert logged == collections.Counter(assigned)
    # one historical record of the submission per review (a second submission
    # would have left a second one)
    submitted = collections.Counter(
        Review.history.filter(status=ReviewStatus.SUBMITTED).values_list(
            "id", flat=True
        )
    )
    assert submitted == collections.Counter(assigned)
    # Both reviewers of every application submitted: each one is reviewed.
    assert set(
        Application.objects.filter(reviews__in=reviews)
        .values_list("status", flat=True)
        .distinct()
    ) == {ApplicationStatus.REVIEWED}
