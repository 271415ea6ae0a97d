"""The application lifecycle: the transition table, refused moves, history."""

import pytest

from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import TRANSITIONS
from funding.models import Application
from funding.services.applications import application_move

pytestmark = pytest.mark.django_db


def test_table_covers_every_state_including_the_award_side():
    assert set(TRANSITIONS) == set(S)
    assert TRANSITIONS[S.APPROVED] == {S.IN_PUBLIC_NOTICE, S.REJECTED}
    assert TRANSITIONS[S.MIDTERM_CHECKED] == {S.COMPLETED, S.TERMINATED}
    for final in (S.REJECTED, S.COMPLETED, S.TERMINATED, S.WITHDRAWN):
        assert TRANSITIONS[final] == set()


def test_illegal_move_is_refused_with_the_reason_and_nothing_changes(
    make_application,
):
    app = make_application()
    with pytest.raises(FundingError) as excinfo:
        application_move(app, S.APPROVED)
    message = excinfo.value.messages[0]
    assert "草稿" in message and "已批准" in message and "已提交" in message
    assert Application.objects.get(pk=app.pk).status == S.DRAFT


def test_a_rejection_needs_a_reason(make_application):
    app = make_application(status=S.REVIEWED)
    with pytest.raises(FundingError):
        application_move(app, S.REJECTED, note=" ")
    assert Application.objects.get(pk=app.pk).status == S.REVIEWED


def test_moves_are_kept_in_history_and_wagtail_log(make_application, make_user):
    from wagtail.models import ModelLogEntry

    user = make_user("manager")
    app = make_application()
    application_move(app, S.SUBMITTED, user=user)
    assert app.history.first().status == S.SUBMITTED
    entry = ModelLogEntry.objects.for_instance(app).get(action="funding.status")
    assert entry.user == user and entry.data["to"] == S.SUBMITTED
