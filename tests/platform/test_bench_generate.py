"""The benchmark generator at a tiny scale: what the database holds afterwards."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from bench.generate import (
    LINE_CALL_PREFIX,
    bench_generate,
    bench_line_call,
    counts_for,
)
from funding.choices import ApplicationStatus, ReviewStatus
from funding.models import Application, Award, Call, Review, Score, Tranche
from incubator.models import IncubationBase, Organization, Residency, StageTransition
from incubator.uscc import uscc_validate
from projects.models import OutcomeLine, OutcomeReport, Project

SCALE = 0.002

REVIEWED = [
    ApplicationStatus.REVIEWED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.MIDTERM_CHECKED,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.TERMINATED,
    ApplicationStatus.REJECTED,
]


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            IncubationBase,
            Residency,
            Call,
            Application,
            Review,
            Score,
            Project,
            OutcomeReport,
            OutcomeLine,
        )
    } | {"users": get_user_model().objects.count()}


@pytest.fixture
def generated(db, settings):
    settings.BENCH = True  # the command runs under the bench settings only
    call_command("bench_generate", scale=SCALE, seed=7, stdout=open("/dev/null", "w"))


def test_counts_scale_linearly():
    # 50,000 × 0.002 = 100 organizations, 200,000 × 0.002 = 400 applications …
    counts = counts_for(SCALE)
    assert counts["organizations"] == 100
    assert counts["applications"] == 400
    assert counts["outcome_lines"] == 2_000
    assert counts["bases"] == 1  # 0.6 → at least one of each
    # The BENCH-LINE call: 2,000 applications from scale 0.01, scaled below.
    assert counts_for(0.01)["line_applications"] == 2_000
    assert counts_for(1.0)["line_applications"] == 2_000
    assert counts["line_applications"] == 400


def test_national_scale_counts():
    # Scale 20: the registry × 20 (1,000,000 organizations), the activity × 10
    # (10,000,000 outcome lines, 2,000,000 applications, 200,000 projects).
    national = counts_for(20)
    assert national["organizations"] == 1_000_000
    assert national["outcome_lines"] == 10_000_000
    assert national["applications"] == 2_000_000
    assert national["projects"] == 200_000
    assert national["showcases"] == 2_000  # one in 500 organizations
    # Scale 2: 100,000 organizations; activity 1 + 9/19 = 1.4737 → 1,473,684 lines.
    assert counts_for(2)["organizations"] == 100_000
    assert counts_for(2)["outcome_lines"] == 1_473_684
    # Province scale unchanged.
    assert counts_for(1.0)["outcome_lines"] == 1_000_000
    assert counts_for(1.0)["organizations"] == 50_000


def test_database_holds_the_scaled_counts(generated):
    line = bench_line_call()
    assert Organization.objects.count() == 100
    assert IncubationBase.objects.count() == 1
    assert Residency.objects.count() == 40
    assert Project.objects.count() == 40
    assert OutcomeLine.objects.count() == 2_000
    # 1 call + the BENCH-LINE call; 400 applications + the line's 400.
    assert Call.objects.count() == 2
    assert Application.objects.exclude(call=line).count() == 400
    assert line.name.startswith(LINE_CALL_PREFIX)
    assert line.applications.count() == 400


def test_every_uscc_valid_and_unique(generated):
    codes = list(
        Organization.objects.exclude(uscc=None).values_list("uscc", "org_type")
    )
    assert len(codes) > 80  # community organizations have a filing number instead
    for code, org_type in codes:
        assert uscc_validate(code, org_type) == code
    assert len({code for code, _t in codes}) == len(codes)
    assert not Organization.objects.filter(uscc=None, filing_number="").exists()


def test_line_call_applications_reviewed_with_scores(generated):
    line = bench_line_call()
    assert set(line.applications.values_list("status", flat=True)) == {
        ApplicationStatus.REVIEWED
    }
    per_app = line.applications.annotate(
        submitted=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED))
    )
    assert {a.submitted for a in per_app} == {line.reviewers_per_application}
    criteria = line.criteria.count()
    review = Review.objects.filter(application__call=line).first()
    scores = list(review.scores.all())
    assert len(scores) == criteria == 5
    # The rubric's weights equal the maxima and add up to 100: total = Σ scores.
    assert review.total == sum(s.score for s in scores)
    assert all(s.criterion_name and s.max_score == s.weight for s in scores)


def test_reviewed_applications_have_reviews(generated):
    reviewed = Application.objects.filter(status__in=REVIEWED)
    assert reviewed.exists()
    without = reviewed.annotate(
        n=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED))
    ).filter(n=0)
    assert not without.exists()
    totals = Review.objects.filter(status=ReviewStatus.SUBMITTED).values_list(
        "total", flat=True
    )
    mean = sum(totals) / len(totals)
    assert 65 <= mean <= 92  # scores around 70–90
    # Awards of decided calls carry a 60 % / 40 % tranche schedule.
    for award in Award.objects.all()[:20]:
        shares = list(
            Tranche.objects.filter(award=award).values_list("percentage", flat=True)
        )
        assert shares == [60, 40]


def test_residencies_have_stage_history(generated):
    for residency in Residency.objects.all():
        moves = list(StageTransition.objects.filter(residency=residency))
        assert moves[0].to_stage == "applied"
        assert moves[-1].to_stage == residency.stage


def test_second_run_refused_and_database_unchanged(generated):
    before = table_counts()
    with pytest.raises(CommandError, match="already holds benchmark data"):
        call_command("bench_generate", scale=SCALE, seed=8)
    assert table_counts() == before


class _Undo(Exception):
    pass


def _generate_and_undo(seed):
    """Generate, note what was written, and roll it back."""
    try:
        with transaction.atomic():
            bench_generate(SCALE, seed, log=lambda _m: None)
            noted = (
                list(Organization.objects.order_by("pk").values_list("name", "uscc")),
                list(
                    Review.objects.order_by("pk").values_list(
                        "application__title", "total"
                    )
                ),
                list(
                    OutcomeLine.objects.order_by("pk").values_list("actual", flat=True)
                ),
            )
            raise _Undo
    except _Undo:
        return noted


def test_same_seed_same_data(db):
    first = _generate_and_undo(5)
    assert Organization.objects.count() == 0
    assert first == _generate_and_undo(5)
    assert first != _generate_and_undo(6)


def _schema_of(tables):
    """Every index and unique / foreign-key constraint of `tables` (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
            "AND contype IN ('f', 'u', 'p')",
            [tables],
        )
        constraints = set(cursor.fetchall())
        # Name, table, columns, unique, partial: PostgreSQL prints a rebuilt
        # partial index's condition with other (equivalent) casts.
        cursor.execute(
            "SELECT indexrelid::regclass::text, indrelid::regclass::text, "
            "indkey::text, indisunique, indpred IS NOT NULL "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [tables],
        )
        return constraints, set(cursor.fetchall())


def test_postgresql_indexes_and_constraints_rebuilt_as_they_were(db):
    from django.db import connection

    from bench.generate import BULK_MODELS

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its indexes during the load")
    tables = [m._meta.db_table for m in BULK_MODELS]
    before = _schema_of(tables)
    bench_generate(SCALE, 3, log=lambda _m: None)
    assert _schema_of(tables) == before
    assert before[0] and before[1]
