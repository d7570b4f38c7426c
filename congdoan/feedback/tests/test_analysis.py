from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from congdoan.feedback import selectors
from congdoan.feedback.models import Concern
from congdoan.feedback.services import concern_answer, concern_correct, concern_rate
from congdoan.feedback.training import heldout_rows, seed_rows


def test_near_duplicates_from_many_workers_form_one_cluster(cast: Any, submit: Any) -> None:
    texts = [
        "Công ty May A chậm trả lương tháng 10, anh em rất khó khăn",
        "cong ty may A cham tra luong thang 10, anh em rat kho khan",
        "Công ty May A chậm trả lương tháng 10 anh em rất khó khăn!!",
    ]
    concerns = [submit(t, unit=cast.unit_a) for t in texts]
    other = submit("Nhà vệ sinh khu B bẩn, không có nước", unit=cast.unit_a)
    elsewhere = submit(texts[0], unit=cast.unit_b)
    clusters = {Concern.objects.get(pk=c.pk).cluster_id for c in concerns}
    assert len(clusters) == 1 and None not in clusters
    assert other.cluster_id is None and elsewhere.cluster_id is None
    rows = selectors.cluster_list(viewer=cast.district_officer)
    assert [r["size"] for r in rows] == [3]
    assert selectors.cluster_list(viewer=cast.officer_b) == []


def test_period_summary_counts_answers_on_time_and_satisfaction(cast: Any, submit: Any) -> None:
    a = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    b = submit("Công ty nợ lương 2 tháng", unit=cast.unit_a)
    submit("Xin hỏi đoàn phí", unit=cast.unit_b)
    concern_answer(actor=cast.officer_a, concern=a, text="Trả lời")
    concern_rate(concern=Concern.objects.get(pk=a.pk), rating=5)
    Concern.objects.filter(pk=b.pk).update(due_at=timezone.now() - timedelta(hours=1))
    concern_answer(actor=cast.officer_a, concern=Concern.objects.get(pk=b.pk), text="Trả lời muộn")
    today = timezone.localdate()
    summary = selectors.feedback_period_summary(
        viewer=cast.district_officer, start=today, end=today
    )
    assert summary["total"] == 3 and summary["answered"] == 2
    assert summary["on_time_share"] == 50.0 and summary["avg_rating"] == 5.0
    only_a = selectors.feedback_period_summary(
        viewer=cast.officer_a, unit=cast.unit_a, start=today, end=today
    )
    assert only_a["total"] == 2


def test_topic_growing_fast_in_a_unit_raises_an_alert(cast: Any) -> None:
    now = timezone.now()
    for i in range(8):
        Concern.objects.create(
            unit=cast.unit_a,
            assigned_unit=cast.unit_a,
            text=f"lương {i}",
            topic="wages",
            created_at=now - timedelta(days=i),
        )
    Concern.objects.create(
        unit=cast.unit_a,
        assigned_unit=cast.unit_a,
        text="lương cũ",
        topic="wages",
        created_at=now - timedelta(days=60),
    )
    for i in range(8):
        Concern.objects.create(
            unit=cast.unit_b,
            assigned_unit=cast.unit_b,
            text=f"nhà trọ {i}",
            topic="living",
            created_at=now - timedelta(days=40 + i * 3 % 80),
        )
        Concern.objects.create(
            unit=cast.unit_b,
            assigned_unit=cast.unit_b,
            text=f"nhà trọ mới {i}",
            topic="living",
            created_at=now - timedelta(days=i),
        )
    alerts = selectors.spikes(viewer=cast.district_officer)
    assert [(a["unit_code"], a["topic"]) for a in alerts] == [("PX-A", "wages")]


def test_classify_command_writes_one_json_line_per_concern(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("cong ty tra luong cham\n\nxuong nong, co nguoi bi ngat\n")
    )
    out = io.StringIO()
    call_command("feedback", "classify", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["text"] for r in rows] == ["cong ty tra luong cham", "xuong nong, co nguoi bi ngat"]
    assert set(rows[0]) == {"text", "restored", "topic", "urgency", "sentiment"}
    assert rows[0]["topic"] == "wages" and rows[1]["urgency"] == "urgent"


def test_retrain_learns_from_officers_corrections_and_reports_held_apart_quality(
    cast: Any, submit: Any, settings: Any, tmp_path: Any
) -> None:
    # A made-up word the seed set never saw, labelled by officers as "living".
    concerns = [
        submit(f"Xin hỏi chuyện zorbix số {i} ở khu zorbix", unit=cast.unit_a) for i in range(30)
    ]
    for c in concerns:
        concern_correct(actor=cast.officer_a, concern=c, topic="living", urgency="urgent")
    out = io.StringIO()
    call_command("feedback", "retrain", "--epochs", "20", stdout=out)
    printed = out.getvalue()
    assert "held-apart test: n=100" in printed and "officers' held-apart labels: n=" in printed
    assert "precision" in printed and "wages" in printed
    from congdoan.feedback.triage import analyse, model_dir

    assert model_dir() == settings.FEEDBACK_TRAINED_MODEL_DIR
    result = analyse("zorbix zorbix")
    assert result.topic == "living"
    assert result.urgency == "urgent"  # no rule knows "zorbix": the urgency model learned it
    from congdoan.feedback.training import load_report

    report = load_report()
    assert report is not None and report["n_officer_train"] > 0 and len(report["per_topic"]) == 10


def test_held_apart_data_never_overlaps_the_seed_set() -> None:
    seed = {r["text"] for r in seed_rows()}
    held = heldout_rows()
    assert len(held) >= 100 and not seed & {r["text"] for r in held}
    assert {r["topic"] for r in held} == {r["topic"] for r in seed_rows()}


def test_shipped_model_keeps_its_quality_on_the_held_apart_set() -> None:
    from congdoan.feedback.training import evaluate
    from congdoan.feedback.triage.classifiers import topic_model

    model = topic_model()
    assert model is not None, "the shipped model is missing"
    result = evaluate(model, heldout_rows())
    # docs/feedback.md reports accuracy 0.80 on the 100 held-apart concerns; the binomial
    # standard error there is 0.04: more than two standard errors lower fails.
    assert result["accuracy"] >= 0.80 - 2 * 0.04, result


def test_topic_by_month_table_counts_and_shows_the_change(cast: Any) -> None:
    now = timezone.now()
    for _ in range(3):
        Concern.objects.create(
            unit=cast.unit_a, assigned_unit=cast.unit_a, text="lương", topic="wages", created_at=now
        )
    last_month = timezone.localdate().replace(day=1) - timedelta(days=3)
    when = timezone.make_aware(datetime.combine(last_month, time(12, 0)))
    Concern.objects.create(
        unit=cast.unit_a, assigned_unit=cast.unit_a, text="lương", topic="wages", created_at=when
    )
    table = selectors.topic_unit_month(viewer=cast.district_officer)
    wages = next(t for t in table["topics"] if t["topic"] == "wages")
    # The change compares like with like: last month's concern came after its first days.
    same_days = 1 if last_month.day <= timezone.localdate().day else 0
    assert wages["counts"][-2:] == [1, 3] and wages["total"] == 4
    assert wages["change"] == 3 - same_days
    assert table["units"][0]["code"] == "PX-A"
    assert selectors.topic_unit_month(viewer=cast.officer_b)["topics"] == []


def test_dashboard_table_has_exactly_the_requested_months(cast: Any) -> None:
    table = selectors.topic_unit_month(viewer=cast.district_officer, months=6)
    assert len(table["months"]) == 6 and table["months"][-1] == timezone.localdate().strftime(
        "%m/%Y"
    )


def test_dashboard_shows_quality_on_officers_labels_after_retrain(
    cast: Any, submit: Any, client_of: Any
) -> None:
    from django.urls import reverse

    concerns = [
        submit(f"Xin hỏi chuyện zorbix số {i} ở khu zorbix", unit=cast.unit_a) for i in range(30)
    ]
    for c in concerns:
        concern_correct(actor=cast.officer_a, concern=c, topic="living", urgency="normal")
    call_command("feedback", "retrain", "--epochs", "10", stdout=io.StringIO())
    html = client_of(cast.district_officer).get(reverse("feedback:dashboard")).content.decode()
    assert "Trên nhãn của cán bộ" in html and "Nhà ở, đi lại, nhà trẻ" in html
