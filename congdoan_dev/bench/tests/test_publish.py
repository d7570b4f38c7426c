"""`congdoan bench publish` in small: products published to the fake platforms through the
outbox, a real worker and scheduler, faults injected; nothing lost, nothing doubled. And the
pieces it counts with (the benchmark itself, 1,000 products, is not part of the suite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings

from congdoan_dev.bench import publish
from congdoan_dev.bench.fakes import BenchGraph, Faults, marker, product_of, tally_of


def test_options_are_checked() -> None:
    args = publish.parse(["--products", "20", "--workers", "1", "--fail-rate", "0.1"])
    assert (args.products, args.workers, args.fail_rate, args.lose_rate) == (20, 1, 0.1, 0.0)
    with pytest.raises(SystemExit):
        publish.parse(["--fail-rate", "1.5"])
    with pytest.raises(SystemExit):
        publish.parse(["--products", "0"])


def test_posts_are_counted_per_product_so_lost_and_doubled_show() -> None:
    assert product_of(f"Hội nghị {marker(42)}\n\nhttps://x") == 42
    assert product_of("không phải của bench") is None
    tally = tally_of([("a", marker(1)), ("b", marker(1)), ("c", marker(3)), ("d", "khác")])
    assert tally.lost({1, 2, 3}) == [2]
    assert tally.doubled() == {1: 2}
    assert (tally.unmarked, tally.ids["c"]) == (1, 3)


def test_the_fake_page_lists_only_its_posts_since_a_time_and_pages_them() -> None:
    graph = BenchGraph(2, Faults()).start()
    try:
        with httpx.Client() as client:
            for i in range(110):
                page = i % 2
                answer = client.post(
                    f"{graph.url}/{graph.page_id(page)}/feed",
                    data={"access_token": graph.page_token(page), "message": f"bài {i}"},
                )
                assert answer.status_code == 200
            url = f"{graph.url}/{graph.page_id(0)}/feed"
            token = graph.page_token(0)
            first = client.get(url, params={"access_token": token, "limit": "50"}).json()
            assert [row["message"] for row in first["data"]][:2] == ["bài 108", "bài 106"]
            assert len(first["data"]) == 50
            second = client.get(first["paging"]["next"]).json()
            assert len(second["data"]) == 5 and "paging" not in second
            later = client.get(url, params={"access_token": token, "since": "9999999999"})
            assert later.json()["data"] == []
            refused = client.get(url, params={"access_token": graph.page_token(1)})
            assert refused.json()["error"]["code"] == 190
    finally:
        graph.stop()


@pytest.mark.django_db(transaction=True)
def test_a_small_run_with_faults_loses_and_doubles_nothing(
    settings: Any, tmp_path: Path, capsys: Any
) -> None:
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://congdoan.example.vn"
    args = publish.parse(
        [
            "--products", "8", "--units", "2", "--workers", "1",
            "--fail-rate", "0.2", "--lose-rate", "0.1", "--republish-rate", "0.2",
            "--backoff-max", "1", "--max-seconds", "60",
        ]
    )  # fmt: skip
    result = publish.measure(args, logs=tmp_path)
    out = capsys.readouterr().out
    assert result.bad == 0, out
    assert "VERIFIED: none lost, none doubled" in out
    assert result.timing is not None and result.timing.sent == 8 * len(result.channels)
    assert "faults injected: none" not in out  # the run did retry
