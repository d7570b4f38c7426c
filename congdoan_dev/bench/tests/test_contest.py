"""`congdoan bench contest` in small: a few participants through a real gunicorn on the test's
database, every answer stored once and as last sent; and the count that would show a lost or
changed answer. No timing is asserted: only that the figures were measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from congdoan.contests.models import Answer, Attempt, AttemptStatus
from congdoan_dev.bench import contest


def test_options_default_to_the_issue_and_refuse_nonsense() -> None:
    args = contest.parse(["--db", "sqlite"])
    assert (args.participants, args.questions, args.bank) == (2000, 20, 40)
    assert (args.connection, args.cache, args.record) == ("close", "redis", False)
    for bad in (
        ["--participants", "0"],
        ["--questions", "30", "--bank", "20"],
        ["--retry-rate", "1.5"],
        ["--concurrency", "0"],
    ):
        with pytest.raises(SystemExit):
            contest.parse(bad)


@pytest.mark.django_db(transaction=True)
def test_a_small_run_stores_every_answer_once_and_as_last_sent(tmp_path: Path, capsys: Any) -> None:
    argv = ["--participants", "6", "--questions", "5", "--bank", "8", "--concurrency", "3"]
    argv += ["--workers", "1", "--threads", "2", "--cache", "database", "--retry-rate", "0.5"]
    argv += ["--second-tab-rate", "0.5", "--baseline-requests", "20", "--max-seconds", "120"]
    result = contest.measure(contest.parse(argv), logs=tmp_path)
    out = capsys.readouterr().out
    assert result.ok, out + (tmp_path / "contest-gunicorn.log").read_text()[-3000:]
    load = result.load
    assert load.participants == 6 and len(load.sent) == 6 * 5 == result.stored
    assert f"\nsent {len(load.sent)}\n" in out and f"\nstored {result.stored}\n" in out
    assert "answers: EQUAL" in out and " answers/s\n" in out and "\np95 " in out
    # Retries and second tabs did send more calls than answers stored.
    assert load.statuses["answer 200"] > len(load.sent)
    assert load.answer_ms and result.baseline is not None and result.baseline.answered == 20
    finished = Attempt.objects.filter(status=AttemptStatus.FINISHED).count()
    assert finished >= 6  # and the participants who warmed the server up

    # The count shows a lost answer and one stored differently from what was sent.
    tokens = [token for token, _q in load.sent]
    Answer.objects.filter(attempt__token=tokens[0]).order_by("pk").first().delete()  # type: ignore[union-attr]
    row = Answer.objects.filter(attempt__token=tokens[-1]).order_by("pk").first()
    assert row is not None
    row.option_ids = [-5]
    row.save(update_fields=["option_ids"])
    stored, wrong = contest._verify(load)
    assert (stored, wrong) == (len(load.sent) - 1, 1)
