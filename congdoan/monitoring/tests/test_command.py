"""`congdoan monitoring ingest-file | narratives --json | fetch`, as the issue words them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdoan.monitoring.models import Item, Source, SourceKind
from congdoan.monitoring.tests.fakes import FakeWeb, rss
from congdoan.orgs.site import set_home_unit

pytestmark = pytest.mark.django_db

STORY = (
    "Công đoàn công ty may Phú Minh ăn chặn tiền hỗ trợ của công nhân, đoàn viên bức xúc "
    "vì không nhận được đồng nào trong đợt hỗ trợ vừa qua"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("monitoring", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_file_prints_new_duplicate_refused_and_scores_and_groups(
    tmp_path: Path, cast: Any
) -> None:
    set_home_unit(cast.district)
    rows: list[Any] = [
        {
            "id": "fb-1",
            "url": "https://facebook.com/p/1",
            "text": STORY,
            "author": "Tèo",
            "published_at": "2026-12-01T08:00:00+07:00",
            "reach": 1200,
        },
        {"id": "fb-2", "text": STORY + " Mọi người chia sẻ mạnh!", "reach": "300"},
        {"id": "fb-1", "text": STORY},  # the same item again
        {"id": "fb-3", "text": ""},  # nothing to read
        "{broken json",
        {"id": "fb-4", "text": "Trời hôm nay đẹp, đi chơi thôi", "published_at": "hôm qua"},
    ]
    path = write_jsonl(tmp_path / "export.jsonl", rows)
    out = run("ingest-file", str(path), "--source", "Công cụ lắng nghe")
    assert out.splitlines() == ["new 3", "duplicate 1", "refused 2"]
    source = Source.objects.get(name="Công cụ lắng nghe")
    assert source.kind == SourceKind.FILE and source.unit == cast.district
    items = {i.external_id: i for i in Item.objects.all()}
    assert items["fb-1"].reach == 1200 and items["fb-1"].author == "Tèo"
    assert items["fb-4"].published_at is None
    # Scored and grouped by the time the command returns.
    assert all(i.scored_at is not None for i in items.values())
    assert items["fb-1"].narrative_id is not None
    assert items["fb-1"].narrative_id == items["fb-2"].narrative_id
    # The same file again: nothing new.
    again = run("ingest-file", str(path), "--source", "Công cụ lắng nghe")
    assert again.splitlines() == ["new 0", "duplicate 4", "refused 2"]

    data = json.loads(run("narratives", "--json"))
    assert data[0]["item_ids"] == ["fb-1", "fb-2"]
    assert set(data[0]) == {"id", "title", "item_ids", "risk", "toxicity", "stance", "status"}
    assert data[0]["status"] == "detected"
    assert [n["risk"] for n in data] == sorted((n["risk"] for n in data), reverse=True)


def test_ingest_file_into_a_named_unit_and_csv(tmp_path: Path, cast: Any) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,text,reach\na,Công nhân phản ánh bị cắt lương,5\n", encoding="utf-8")
    out = run("ingest-file", str(path), "--source", "CSV", "--unit", "PX-A")
    assert out.splitlines()[0] == "new 1"
    assert Source.objects.get(name="CSV").unit == cast.unit_a


def test_ingest_file_needs_a_unit_and_a_file(tmp_path: Path, cast: Any) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "x"}])
    with pytest.raises(CommandError):
        run("ingest-file", str(path), "--source", "S")  # no home unit set
    with pytest.raises(CommandError):
        run("ingest-file", str(tmp_path / "missing.jsonl"), "--source", "S", "--unit", "PX-A")
    with pytest.raises(CommandError):
        run("ingest-file", str(path), "--source", "S", "--unit", "NOPE")


def test_a_big_file_is_written_in_chunks_scored_and_grouped(
    tmp_path: Path, cast: Any, settings: Any
) -> None:
    """100,000 lines in production (`congdoan bench monitoring`); 2,000 here in chunks of 150,
    grouped in two slices through grouping's fast path; copies in different slices meet."""
    settings.MONITORING_INGEST_CHUNK = 150
    rows = [
        {
            "id": f"n{n}",
            "text": f"Bài {n}: công nhân khu công nghiệp số {n % 40} phản ánh công đoàn "
            f"chậm giải quyết chế độ, mã hồ sơ {n * 7919 % 100003}",
            "reach": n % 50,
        }
        for n in range(2000)
    ]
    rows[0]["text"] = STORY
    rows[1999]["text"] = STORY + " Mọi người chia sẻ mạnh!"
    path = write_jsonl(tmp_path / "big.jsonl", rows)
    out = run("ingest-file", str(path), "--source", "Lớn", "--unit", "PX-A")
    assert out.splitlines() == ["new 2000", "duplicate 0", "refused 0"]
    assert Item.objects.filter(scored_at__isnull=True).count() == 0
    assert Item.objects.filter(signature__isnull=True).count() == 0
    first, last = Item.objects.get(external_id="n0"), Item.objects.get(external_id="n1999")
    assert first.narrative_id is not None and first.narrative_id == last.narrative_id


def test_narratives_without_json_print_one_line_each(cast: Any) -> None:
    assert run("narratives") == ""
    assert json.loads(run("narratives", "--json", "--limit", "5")) == []


def test_fetch_reads_one_source_now(web: FakeWeb, cast: Any) -> None:
    url = web.route("/rss", rss([{"guid": "1", "title": "Tin", "description": "Nội dung"}]))
    source = Source.objects.create(unit=cast.unit_a, name="RSS", kind=SourceKind.RSS, url=url)
    broken = Source.objects.create(
        unit=cast.unit_a, name="Hỏng", kind=SourceKind.RSS, url=web.route("/x", "", status=503)
    )
    out = run("fetch", "--source", str(source.pk))
    assert "new 1" in out
    out = run("fetch")  # every due source: the broken one is reported, the other has no news
    assert f"{broken.pk}\tHỏng" in out and "error" in out
    with pytest.raises(CommandError):
        run("fetch", "--source", "999999")
