"""The handling workflow: the transitions and what each needs, who may act, a double click
applied once, assignment, notes and evidence; every write audited and on the timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.content.models import Product, ProductStatus
from congdoan.monitoring.models import (
    EventKind,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
    ResponseKind,
    Snapshot,
)
from congdoan.monitoring.services import handling
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.orgs.tests import factories as f
from congdoan.outbox.models import OutboundMessage

S = NarrativeStatus


def audits(action: str, narrative: Narrative) -> int:
    return AuditEntry.objects.filter(action=action, object_id=str(narrative.pk)).count()


def test_the_whole_workflow_to_resolved(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    product = Product.objects.create(
        unit=cast.unit_a,
        title="Làm rõ việc trả lương",
        slug="lam-ro",
        status=ProductStatus.PUBLISHED,
    )
    officer = cast.officer_a
    handling.transition(officer, story, S.VERIFYING, note="Đã gọi phòng nhân sự")
    handling.transition(officer, story, S.CONFIRMED_FALSE)
    with pytest.raises(ValidationError) as err:
        handling.transition(officer, story, S.RESPONSE_PLANNED)
    assert "response_kind" in err.value.message_dict
    handling.transition(
        officer, story, S.RESPONSE_PLANNED, response_kind=ResponseKind.REFUTATION, product=product
    )
    assert story.handled_at is None and story.product == product
    handling.transition(officer, story, S.RESPONDED)
    assert story.status == S.RESPONDED and story.handled_at is not None
    handled_at = story.handled_at
    handling.transition(officer, story, S.RESOLVED)
    story.refresh_from_db()
    assert story.resolved_at is not None and story.handled_at == handled_at
    events = list(
        story.events.filter(kind=EventKind.STATUS).values_list("from_status", "to_status")
    )
    assert events == [
        (S.DETECTED, S.VERIFYING),
        (S.VERIFYING, S.CONFIRMED_FALSE),
        (S.CONFIRMED_FALSE, S.RESPONSE_PLANNED),
        (S.RESPONSE_PLANNED, S.RESPONDED),
        (S.RESPONDED, S.RESOLVED),
    ]
    assert story.events.first().text == "Đã gọi phòng nhân sự"
    assert story.events.first().author == officer
    assert audits("monitoring.narrative.transition", story) == 5


def test_a_dismissal_needs_a_reason_counts_as_handled_and_can_be_reopened(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    with pytest.raises(ValidationError) as err:
        handling.transition(cast.officer_a, story, S.DISMISSED, reason="   ")
    assert "reason" in err.value.message_dict
    assert Narrative.objects.get(pk=story.pk).status == S.DETECTED
    handling.transition(cast.officer_a, story, S.DISMISSED, reason="Tin cũ, đã được làm rõ")
    assert story.handled_at is not None and story.dismiss_reason == "Tin cũ, đã được làm rõ"
    handling.transition(cast.district_officer, story, S.VERIFYING, note="Có bằng chứng mới")
    assert story.handled_at is None and story.dismiss_reason == ""


def test_a_step_outside_the_table_is_refused(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    for target in (S.RESPONDED, S.RESOLVED, S.RESPONSE_PLANNED, "nonsense"):
        with pytest.raises(ValidationError):
            handling.transition(cast.officer_a, story, target, response_kind=ResponseKind.EXPLAINER)
    assert Narrative.objects.get(pk=story.pk).status == S.DETECTED
    assert not NarrativeEvent.objects.exists()
    assert set(handling.TRANSITIONS) == set(S.values)  # every status says where it may go


def test_only_officers_covering_the_unit_handle_it(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    other = f.officer(cast.other_district, name="Cán bộ Thường Tín")
    for outsider in (cast.officer_b, other, cast.member_user, None):
        with pytest.raises(PermissionDenied):
            handling.transition(outsider, story, S.VERIFYING)
        with pytest.raises(PermissionDenied):
            handling.add_note(outsider, story, "xem")
    handling.transition(cast.district_officer, story, S.VERIFYING)
    handling.transition(cast.admin, story, S.CONFIRMED_HOSTILE)
    assert Narrative.objects.get(pk=story.pk).status == S.CONFIRMED_HOSTILE


def test_two_officers_clicking_at_once_apply_once(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    seen_by_a = Narrative.objects.get(pk=story.pk)
    seen_by_district = Narrative.objects.get(pk=story.pk)
    handling.transition(cast.officer_a, seen_by_a, S.DISMISSED, reason="Không liên quan")
    # the same change from a page read before: nothing more written
    again = handling.transition(
        cast.district_officer, seen_by_district, S.DISMISSED, reason="Không liên quan"
    )
    assert again.status == S.DISMISSED
    assert story.events.count() == 1
    assert audits("monitoring.narrative.transition", story) == 1
    # another change from a stale page: refused, not applied over the first
    stale = Narrative.objects.get(pk=story.pk)
    stale.status = S.DETECTED
    with pytest.raises(ValidationError, match="người khác"):
        handling.transition(cast.district_officer, stale, S.VERIFYING)
    assert Narrative.objects.get(pk=story.pk).status == S.DISMISSED
    assert story.events.count() == 1


def test_assign_to_an_officer_who_may_handle_it(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    due = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as err:
        handling.assign(cast.district_officer, story, cast.officer_b, due)
    assert "assignee" in err.value.message_dict
    with pytest.raises(ValidationError):
        handling.assign(cast.district_officer, story, cast.member_user, due)
    handling.assign(cast.district_officer, story, cast.officer_a, due)
    assert story.assignee == cast.officer_a and story.deadline == due
    handling.assign(cast.district_officer, story, cast.officer_a, due)  # unchanged: nothing
    assert story.events.filter(kind=EventKind.ASSIGN).count() == 1
    assert audits("monitoring.narrative.assign", story) == 1
    told = OutboundMessage.objects.filter(purpose="monitoring.assign")
    assert [m.recipient for m in told] == [cast.officer_a.email]
    assert f"/theo-doi/luong/{story.pk}/" in told[0].body
    handling.assign(cast.officer_a, story, None, None)
    story.refresh_from_db()
    assert story.assignee is None and story.deadline is None
    assert story.events.filter(kind=EventKind.ASSIGN).count() == 2


def test_notes(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    with pytest.raises(ValidationError):
        handling.add_note(cast.officer_a, story, "  ")
    with pytest.raises(ValidationError):
        handling.add_note(cast.officer_a, story, "x" * (handling.MAX_NOTE + 1))
    event = handling.add_note(cast.officer_a, story, " Đã báo cáo lãnh đạo công ty ")
    assert event.kind == EventKind.NOTE and event.text == "Đã báo cáo lãnh đạo công ty"
    assert audits("monitoring.narrative.note", story) == 1


def test_a_product_of_another_unit_is_not_linked(cast: Any) -> None:
    story = h.narrative(cast.unit_a, status=S.CONFIRMED_FALSE)
    theirs = Product.objects.create(unit=cast.unit_b, title="Của B", slug="cua-b")
    above = Product.objects.create(unit=cast.district, title="Của huyện", slug="cua-huyen")
    with pytest.raises(ValidationError) as err:
        handling.transition(
            cast.officer_a,
            story,
            S.RESPONDED,
            response_kind=ResponseKind.REFUTATION,
            product=theirs,
        )
    assert "product" in err.value.message_dict
    handling.transition(
        cast.officer_a, story, S.RESPONDED, response_kind=ResponseKind.REFUTATION, product=above
    )
    assert story.product == above and story.handled_at is not None


def test_evidence_is_kept_sanitised(cast: Any, web: Any) -> None:
    story = h.narrative(cast.unit_a)
    item = story.items.get()
    item.url = web.route(
        "/bai-viet",
        "<html><body><script>alert(1)</script><article><h1>Công ty nợ lương</h1>"
        "<p onclick='x()'>Công nhân chưa nhận lương ba tháng nay, công đoàn không lên tiếng"
        " bảo vệ người lao động.</p><img src='http://tracker/x.png'></article></body></html>",
    )
    item.save()
    shot = handling.snapshot_now(cast.officer_a, item)
    assert shot is not None and shot.status_code == 200
    assert "<script" not in shot.html and "onclick" not in shot.html and "<img" not in shot.html
    assert "ba tháng" in shot.text and len(shot.sha256) == 64
    event = story.events.get(kind=EventKind.EVIDENCE)
    assert "Đã lưu bằng chứng" in event.text
    assert AuditEntry.objects.filter(action="monitoring.item.snapshot").count() == 1


def test_evidence_from_a_private_address_is_refused_and_written_down(
    cast: Any, settings: Any
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    story = h.narrative(cast.unit_a)
    item = story.items.get()
    item.url = "http://127.0.0.1:9/noi-bo"
    item.save()
    assert handling.snapshot_now(cast.officer_a, item) is None
    assert not Snapshot.objects.exists()
    event = story.events.get(kind=EventKind.EVIDENCE)
    assert "Không lưu được" in event.text
    with pytest.raises(PermissionDenied):
        handling.snapshot_now(cast.officer_b, item)


def test_allowed_targets_follow_the_table() -> None:
    assert handling.allowed_targets(S.DETECTED) == handling.TRANSITIONS[S.DETECTED]
    assert handling.allowed_targets("nonsense") == ()


def test_every_action_reads_in_words() -> None:
    from congdoan.audit.registry import ACTIONS

    for action in (
        "monitoring.narrative.transition",
        "monitoring.narrative.assign",
        "monitoring.narrative.note",
        "monitoring.item.snapshot",
        "monitoring.claim.create",
        "monitoring.claim.update",
        "monitoring.claim.activate",
        "monitoring.claim.deactivate",
        "monitoring.source.create",
        "monitoring.source.update",
        "monitoring.tip.submit",
    ):
        assert action in ACTIONS, action


def test_evidence_of_a_picture_keeps_its_hash_and_the_item_text(cast: Any, web: Any) -> None:
    story = h.narrative(cast.unit_a)
    item = story.items.get()
    item.url = web.route(
        "/anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), content_type="image/png"
    )
    item.save()
    shot = handling.snapshot_now(cast.officer_a, item)
    assert shot is not None and shot.html == "" and shot.text == item.text
    assert len(shot.sha256) == 64
