"""One owner of derived deadline state (reports.services.obligation_deadlines_refresh):
every path that changes deadlines, or what they derive from, leaves the alert cursors and
the summaries equal to a recomputation from scratch, and never lowers a version.

These tests commit as production commits (`transaction=True`): the admin's bulk delete,
for one, runs outside any transaction of Django's, which a test's own transaction hid.
"""

import datetime as dt
import io
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from paragraphs.enums import ObligationStatus
from paragraphs.models import Actor, Obligation, Resolution
from paragraphs.services import api_token_create, obligation_update
from reports.alerts import rules as alert_rules
from reports.enums import DeadlineState, ScheduleKind
from reports.models import Deadline, DeadlineSummary, Schedule
from reports.services import (
    deadline_deliver,
    deadline_reschedule,
    deadline_waive,
    schedule_sync_deadlines,
)
from tests.factories import ObligationFactory, ResolutionFactory, ScheduleFactory, UserFactory
from tests.reports.summaries import EMPTY, expected_summary

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]
D = dt.date


def recomputed_summary(obligation_id: int) -> dict:
    """What the summary must say, from the deadlines, by the pure rules."""
    return expected_summary(obligation_id)


def stored_summary(obligation_id: int) -> dict:
    summary = DeadlineSummary.objects.filter(obligation_id=obligation_id).first()
    if summary is None:  # never refreshed: no deadline was ever written
        return dict(EMPTY)
    return {name: getattr(summary, name) for name in EMPTY}


def assert_derived_state_is_recomputable():
    """Summaries and cursors equal what a recomputation from scratch gives (the clock is
    frozen, so every cursor starts from the same `now`: the first moment at or after it)."""
    now = timezone.now()
    for obligation_id in Obligation.objects.values_list("pk", flat=True):
        assert stored_summary(obligation_id) == recomputed_summary(obligation_id), obligation_id
    for deadline in Deadline.objects.select_related("schedule"):
        plan = deadline.alert_plan()
        expected = (
            None if plan is None else alert_rules.next_moment(plan, after=now, inclusive=True)
        )
        assert deadline.next_alert_at == expected, deadline


@pytest.fixture
def root():
    return get_user_model().objects.create_superuser("root", password="x-Unguessable-1")


@pytest.fixture
def admin(root):
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def quarterly(frozen_clock, root):
    """Every three months from 15 July 2023 to the mandate expiry of 15 July 2024."""
    schedule = ScheduleFactory(
        kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15), label="Quarterly"
    )
    schedule_sync_deadlines(schedule=schedule, by=root)
    return schedule


def obligation_form(obligation, **changes) -> dict:
    return {
        "paragraph": obligation.paragraph_id,
        "key": obligation.key,
        "summary": obligation.summary,
        "owner": obligation.owner_id,
        "kind": obligation.kind,
        "status": obligation.status,
        "note": obligation.note,
        "assigned_analyst": obligation.assigned_analyst_id or "",
        "change_note": "",
        "opened_version": obligation.version,
    } | changes


def deadline_form(deadline, **changes) -> dict:
    return {
        "schedule": deadline.schedule_id,
        "sequence": deadline.sequence,
        "due_on": deadline.due_on.isoformat(),
        "scheduled_on": deadline.scheduled_on.isoformat(),
        "scheduled_reason": deadline.scheduled_reason,
        "state": deadline.state,
        **{
            name: getattr(deadline, name).isoformat() if getattr(deadline, name) else ""
            for name in ("dated_on", "circulated_on", "delivered_by")
        },
        "delivery_evidence": deadline.delivery_evidence,
        "document_symbol": deadline.document_symbol,
        "waived_reason": deadline.waived_reason,
        "change_note": "",
        "opened_version": deadline.version,
    } | changes


def schedule_form(schedule, **changes) -> dict:
    return {
        "obligation": schedule.obligation_id,
        "kind": schedule.kind,
        "label": schedule.label,
        "on_date": schedule.on_date.isoformat() if schedule.on_date else "",
        "within_days": schedule.within_days or "",
        "anchor_on": schedule.anchor_on.isoformat() if schedule.anchor_on else "",
        "every_days": schedule.every_days or "",
        "every_months": schedule.every_months or "",
        "until": schedule.until.isoformat() if schedule.until else "",
        "aligned_to": schedule.aligned_to_id or "",
        "rationale": schedule.rationale,
        "lead_days": str(schedule.lead_days),
        "overdue_every_days": schedule.overdue_every_days,
        "tolerance_days": schedule.tolerance_days,
        "change_note": "",
        "deadlines-TOTAL_FORMS": 0,
        "deadlines-INITIAL_FORMS": 0,
    } | changes


def resolution_form(resolution, **changes) -> dict:
    return {
        "symbol": resolution.symbol,
        "number": resolution.number,
        "year": resolution.year,
        "adopted_on": resolution.adopted_on.isoformat(),
        "meeting_number": resolution.meeting_number or "",
        "title": resolution.title,
        "mandate": resolution.mandate_id or "",
        "mandate_expires_on": resolution.mandate_expires_on.isoformat(),
        "renews": resolution.renews_id or "",
    } | changes


# Regressions, one per path that once left derived state wrong.


def test_reverting_an_obligation_in_the_admin_is_refused_and_changes_nothing(admin, root):
    obligation = ObligationFactory()
    for status in (ObligationStatus.IN_PROGRESS, ObligationStatus.COMPLETED):
        obligation_update(obligation=obligation, by=root, status=status)
    first = obligation.history.earliest()

    page = admin.get(f"/admin/paragraphs/obligation/{obligation.pk}/history/{first.history_id}/")
    revert = admin.post(
        f"/admin/paragraphs/obligation/{obligation.pk}/history/{first.history_id}/",
        obligation_form(first.instance, opened_version=3),
    )

    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    assert revert.status_code == 403
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version) == (ObligationStatus.COMPLETED, 3)


def test_reverting_a_delivered_deadline_in_the_admin_is_refused(admin, root, quarterly):
    deadline = quarterly.deadlines.get(sequence=1)
    opened = deadline.history.earliest()
    deadline_deliver(deadline=deadline, circulated_on=D(2023, 8, 30), by=root)

    revert = admin.post(
        f"/admin/reports/deadline/{deadline.pk}/history/{opened.history_id}/",
        deadline_form(opened.instance),
    )

    assert revert.status_code == 403
    deadline.refresh_from_db()
    assert (deadline.state, deadline.version) == (DeadlineState.DELIVERED, 2)
    assert_derived_state_is_recomputable()


def test_an_admin_edit_raises_the_version_and_refuses_a_stale_form(admin, root):
    obligation = ObligationFactory()
    stale = obligation_form(obligation, note="From a tab opened earlier")
    obligation_update(obligation=obligation, by=root, note="Saved meanwhile")

    refused = admin.post(f"/admin/paragraphs/obligation/{obligation.pk}/change/", stale)
    obligation.refresh_from_db()
    saved = admin.post(
        f"/admin/paragraphs/obligation/{obligation.pk}/change/",
        obligation_form(obligation, note="Reviewed"),
    )

    assert refused.status_code == 200
    assert "Someone else saved this" in refused.content.decode()
    assert saved.status_code == 302
    obligation.refresh_from_db()
    assert (obligation.note, obligation.version) == ("Reviewed", 3)


def test_an_admin_edit_of_a_status_keeps_to_the_transitions(admin):
    obligation = ObligationFactory(status=ObligationStatus.COMPLETED)

    refused = admin.post(
        f"/admin/paragraphs/obligation/{obligation.pk}/change/",
        obligation_form(obligation, status=ObligationStatus.NOT_STARTED),
    )

    assert refused.status_code == 200
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version) == (ObligationStatus.COMPLETED, 1)


@pytest.mark.parametrize("model", ["deadline", "schedule"])
def test_a_bulk_delete_in_the_admin_leaves_correct_summaries(admin, quarterly, model):
    other = ScheduleFactory(
        obligation=quarterly.obligation, kind=ScheduleKind.WITHIN_DAYS, within_days=30
    )
    schedule_sync_deadlines(schedule=other, by=get_user_model().objects.get(username="root"))
    if model == "deadline":
        selected = list(quarterly.deadlines.filter(sequence__lte=2).values_list("pk", flat=True))
    else:
        selected = [quarterly.pk]

    response = admin.post(
        f"/admin/reports/{model}/",
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )

    assert response.status_code == 302
    left = Deadline.objects.filter(schedule__obligation=quarterly.obligation).count()
    assert left == (3 if model == "deadline" else 1)
    assert stored_summary(quarterly.obligation_id)["deadlines"] == left
    assert_derived_state_is_recomputable()


def test_changing_the_mandate_expiry_in_the_admin_moves_the_deadlines(admin, quarterly):
    resolution = quarterly.obligation.paragraph.resolution

    response = admin.post(
        f"/admin/paragraphs/resolution/{resolution.pk}/change/",
        resolution_form(resolution, mandate_expires_on="2024-12-31"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    dates = list(quarterly.deadlines.order_by("sequence").values_list("due_on", flat=True))
    assert dates == [D(2023, 10, 15), D(2024, 1, 15), D(2024, 4, 15), D(2024, 7, 15),
                     D(2024, 10, 15)]  # fmt: skip
    assert stored_summary(quarterly.obligation_id)["deadlines"] == 5
    assert_derived_state_is_recomputable()


def test_changing_the_adoption_date_moves_a_within_days_deadline(admin, root, frozen_clock):
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=root)
    resolution = schedule.obligation.paragraph.resolution

    admin.post(
        f"/admin/paragraphs/resolution/{resolution.pk}/change/",
        resolution_form(resolution, adopted_on="2023-07-31"),
    )

    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.scheduled_on, deadline.version) == (
        D(2023, 8, 30),
        D(2023, 8, 30),
        2,
    )
    assert stored_summary(schedule.obligation_id)["next_deadline"] == D(2023, 8, 30)
    assert_derived_state_is_recomputable()


def test_removing_synthetic_data_after_the_api_read_it(frozen_clock):
    call_command(
        "generate_scale_data",
        "--resolutions=2",
        "--obligations=6",
        "--deadlines=24",
        "--today=2023-09-01",
        stdout=io.StringIO(),
    )
    analyst = UserFactory(username="ana", role="analyst")
    _token, text = api_token_create(user=analyst, name="Sync", read_only=True, by=analyst)
    listed = Client().get("/api/v1/obligations/", headers={"Authorization": f"Bearer {text}"})
    assert len(listed.json()["results"]) == 6

    call_command("generate_scale_data", "--remove", stdout=io.StringIO())

    assert not Resolution.objects.filter(is_synthetic=True).exists()
    assert not Obligation.objects.exists()
    assert not DeadlineSummary.objects.exists()


# Random sequences of writes through every path.


class Story:
    """Writes chosen at random, through the services, the admin and the API; after each,
    the derived state is checked, and every ETag a client kept is asked about again."""

    def __init__(self, rng: random.Random, root, token: str):
        self.rng = rng
        self.root = root
        self.admin = Client()
        self.admin.force_login(root)
        self.api = Client()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.seen = {}  # url → (etag, body) a client read

    def open_deadline(self):
        return self.rng.choice(list(Deadline.objects.filter(state=DeadlineState.OPEN)) or [None])

    def step(self) -> str:
        name = self.rng.choice(
            [
                "deliver",
                "reschedule",
                "waive",
                "api_patch",
                "api_deliver",
                "admin_deadline",
                "admin_schedule",
                "admin_bulk_delete",
                "admin_revert",
                "expiry",
                "rename_actor",
                "rename_user",
            ]
        )
        getattr(self, name)()
        return name

    def deliver(self):
        if deadline := self.open_deadline():
            day = min(deadline.scheduled_on, timezone.localdate())
            deadline_deliver(deadline=deadline, circulated_on=day, by=self.root)

    def reschedule(self):
        if deadline := self.open_deadline():
            moved = deadline.scheduled_on + dt.timedelta(days=self.rng.randint(1, 40))
            deadline_reschedule(
                deadline=deadline, scheduled_on=moved, reason="Programme", by=self.root
            )

    def waive(self):
        if deadline := self.open_deadline():
            deadline_waive(deadline=deadline, reason="Merged", by=self.root)

    def api_patch(self):
        obligation = self.rng.choice(list(Obligation.objects.all()))
        url = f"/api/v1/obligations/{obligation.pk}/"
        etag = self.api.get(url, headers=self.headers)["ETag"]
        self.api.patch(
            url,
            f'{{"note": "Step {self.rng.random()}"}}',
            content_type="application/json",
            headers={**self.headers, "If-Match": etag},
        )

    def api_deliver(self):
        if deadline := self.open_deadline():
            url = f"/api/v1/deadlines/{deadline.pk}/"
            etag = self.api.get(url, headers=self.headers)["ETag"]
            self.api.post(
                f"{url}deliver/",
                '{"circulated_on": "2023-09-01"}',
                content_type="application/json",
                headers={**self.headers, "If-Match": etag},
            )

    def admin_deadline(self):
        deadline = self.rng.choice(list(Deadline.objects.all()))
        moved = deadline.scheduled_on + dt.timedelta(days=self.rng.randint(-20, 20))
        state = self.rng.choice([DeadlineState.OPEN, deadline.state])
        self.admin.post(
            f"/admin/reports/deadline/{deadline.pk}/change/",
            deadline_form(
                deadline,
                scheduled_on=moved.isoformat(),
                state=state,
                **(
                    {}
                    if state == DeadlineState.DELIVERED
                    else dict.fromkeys(
                        ("dated_on", "circulated_on", "delivered_by", "delivery_evidence"), ""
                    )
                ),
                waived_reason=deadline.waived_reason if state == DeadlineState.WAIVED else "",
            ),
        )

    def admin_schedule(self):
        schedule = self.rng.choice(list(Schedule.objects.filter(aligned_to=None)))
        changes = {"lead_days": str(self.rng.choice([[14, 7, 1], [30, 3], [1]]))}
        if schedule.kind == ScheduleKind.RECURRING:
            changes["every_months"] = self.rng.choice([1, 2, 3, 6])
        if self.rng.random() < 0.3:
            changes["obligation"] = self.rng.choice(list(Obligation.objects.all())).pk
        self.admin.post(
            f"/admin/reports/schedule/{schedule.pk}/change/", schedule_form(schedule, **changes)
        )

    def admin_bulk_delete(self):
        ids = list(Deadline.objects.values_list("pk", flat=True))
        chosen = self.rng.sample(ids, k=min(len(ids), 2))
        self.admin.post(
            "/admin/reports/deadline/",
            {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        )

    def admin_revert(self):
        deadline = self.rng.choice(list(Deadline.objects.all()))
        record = deadline.history.earliest()
        response = self.admin.post(
            f"/admin/reports/deadline/{deadline.pk}/history/{record.history_id}/",
            deadline_form(record.instance),
        )
        assert response.status_code == 403

    def expiry(self):
        resolution = self.rng.choice(list(Resolution.objects.all()))
        expiry = D(2024, 7, 15) + dt.timedelta(days=self.rng.choice([-120, -30, 0, 45, 200]))
        self.admin.post(
            f"/admin/paragraphs/resolution/{resolution.pk}/change/",
            resolution_form(resolution, mandate_expires_on=expiry.isoformat()),
        )

    def rename_actor(self):
        actor = self.rng.choice(list(Actor.objects.all()))
        actor.code = f"actor-{self.rng.randrange(10**6)}"
        actor.save()

    def rename_user(self):
        user = self.rng.choice(list(get_user_model().objects.filter(username__startswith="an")))
        user.username = f"an-{self.rng.randrange(10**6)}"
        user.save()

    def read_everything(self):
        """Conditional GETs with what was kept: a 304 only for the very same body."""
        urls = [
            f"/api/v1/obligations/{pk}/" for pk in Obligation.objects.values_list("pk", flat=True)
        ]
        urls += [f"/api/v1/deadlines/{pk}/" for pk in Deadline.objects.values_list("pk", flat=True)]
        for url in urls:
            current = self.api.get(url, headers=self.headers)
            if url in self.seen:
                etag, body = self.seen[url]
                again = self.api.get(url, headers={**self.headers, "If-None-Match": etag})
                assert (again.status_code == 304) == (current.content == body), url
            self.seen[url] = (current["ETag"], current.content)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_through_every_path_keep_derived_state_and_etags_true(
    frozen_clock, settings, seed
):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "token": 100_000}
    rng = random.Random(seed)
    root = get_user_model().objects.create_superuser("root", password="x-Unguessable-1")
    analysts = [UserFactory(username=f"ana-{n}", role="analyst") for n in range(2)]
    _token, token = api_token_create(user=analysts[0], name="Sync", read_only=False, by=analysts[0])
    for number in range(2):
        resolution = ResolutionFactory()
        for kind, fields in [
            (ScheduleKind.RECURRING, {"every_months": 3, "anchor_on": D(2023, 7, 15)}),
            (ScheduleKind.WITHIN_DAYS, {"within_days": 30 + 30 * number}),
        ]:
            obligation = ObligationFactory(
                paragraph__resolution=resolution, assigned_analyst=rng.choice(analysts)
            )
            schedule = ScheduleFactory(obligation=obligation, kind=kind, **fields)
            schedule_sync_deadlines(schedule=schedule, by=root)
    story = Story(rng, root, token)
    story.read_everything()
    versions = {}

    for _step in range(30):
        story.step()
        assert_derived_state_is_recomputable()
        story.read_everything()
        for model in (Obligation, Deadline):
            for pk, version in model.objects.values_list("pk", "version"):
                assert version >= versions.get((model, pk), 1)  # versions only go up
                versions[model, pk] = version
