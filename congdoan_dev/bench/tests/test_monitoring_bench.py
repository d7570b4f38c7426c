"""`congdoan bench monitoring` in small, so the benchmark does not rot between runs: items
ingested, scored and grouped on the test's database, then a bulk batch grouped; no timing is
asserted, only that the figures were measured."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.monitoring.models import Item, LshBucket, Narrative
from congdoan.text.neardup import BANDS
from congdoan_dev.bench import monitoring


def test_options_default_to_the_issue_and_refuse_nonsense() -> None:
    args = monitoring.parse([])
    assert (args.items, args.ingest, args.db, args.record) == (100_000, 5000, "sqlite", False)
    for bad in (["--items", "0"], ["--batch", "0"], ["--db", "oracle"]):
        with pytest.raises(SystemExit):
            monitoring.parse(bad)


def test_the_corpus_makes_stories_with_copies_and_lone_posts() -> None:
    items = monitoring.Corpus(3).items(400)
    assert len(items) == 400
    stories = {s.story for s in items}
    assert -1 in stories and len(stories) > 20
    assert [s.seen for s in items] == sorted(s.seen for s in items)


@pytest.mark.django_db
def test_a_small_run_measures_every_figure(capsys: Any) -> None:
    args = monitoring.parse(["--items", "300", "--ingest", "40", "--batch", "20"])
    result = monitoring.measure(args)
    out = capsys.readouterr().out
    assert 30 <= result.ingested <= 40 and result.grouped == 300  # copies in a source: duplicates
    assert Item.objects.count() >= 300 + result.ingested
    assert 0 < LshBucket.objects.count() <= Item.objects.count() * BANDS
    assert 0 < result.narratives <= Narrative.objects.count()
    assert 0 < result.completeness <= 100 and 0 < result.purity <= 100
    assert result.ingest_rate > 0 and result.peak_mb > 0 and result.workers >= 1
    for line in ("ingested and scored:", "grouping: 300 items", "peak memory:", "national scale:"):
        assert line in out
