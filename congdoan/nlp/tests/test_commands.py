from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from congdoan.nlp import cli
from congdoan.text import fold
from congdoan.text.tests.test_context import SHOP
from congdoan_dev.demo.feedback import DATA as DEMO_CONCERNS


class FakeStdio:
    def __init__(self, data: bytes) -> None:
        self.stdin = io.BytesIO(data)
        self.stdout = io.BytesIO()


@pytest.fixture
def stdio(monkeypatch: pytest.MonkeyPatch) -> object:
    def make(data: bytes) -> FakeStdio:
        fake = FakeStdio(data)
        monkeypatch.setattr(cli, "stdin", lambda: fake.stdin)
        monkeypatch.setattr(cli, "stdout", lambda: fake.stdout)
        return fake

    return make


def test_text_fold_writes_one_line_per_input_line(stdio) -> None:
    fake = stdio("Kế hoạch Đoàn\n\nHOÀ BÌNH\r\n".encode())
    call_command("text", "fold")
    assert fake.stdout.getvalue() == b"ke hoach doan\n\nhoa binh\r\n"


def test_text_normalize_converts_legacy_and_tone_marks(stdio) -> None:
    fake = stdio("Coâng ñoaøn\nthuỷ lợi".encode())
    call_command("text", "normalize")
    assert fake.stdout.getvalue().decode() == "Công đoàn\nthủy lợi"


def test_text_restore_keeps_bad_bytes_and_line_count(stdio) -> None:
    fake = stdio(b"cong ty tra luong cham\n\xff\xfe\x00garbage\n\n" + "😀 中文\n".encode())
    call_command("text", "restore")
    lines = fake.stdout.getvalue().split(b"\n")
    assert lines[0].decode() == "công ty trả lương chậm"
    assert lines[1] == b"\xff\xfe\x00garbage"
    assert lines[2] == b""
    assert lines[3].decode() == "😀 中文"
    assert len(lines) == 5


def test_text_restore_document_reads_the_lines_as_one_text(stdio) -> None:
    fake = stdio("\n".join(SHOP).encode() + b"\n")
    call_command("text", "restore")
    assert "của hàng" in fake.stdout.getvalue().decode().split("\n")[3]
    fake = stdio("\n".join(SHOP).encode() + b"\n")
    call_command("text", "restore", "--document")
    lines = fake.stdout.getvalue().decode().split("\n")
    assert len(lines) == len(SHOP) + 1
    assert "cửa hàng" in lines[3]


def test_nlp_train_then_predict_adds_label_and_score(stdio, tmp_path: Path) -> None:
    rows = [
        ("chậm trả lương", "wages"),
        ("nợ lương công nhân", "wages"),
        ("xưởng nóng không quạt", "safety"),
        ("thiếu đồ bảo hộ", "safety"),
    ] * 5
    train = tmp_path / "train.jsonl"
    train.write_text(
        "\n".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False) for t, lab in rows),
        encoding="utf-8",
    )
    call_command(
        "nlp",
        "train",
        "--train",
        str(train),
        "--out",
        str(tmp_path / "model"),
        "--epochs",
        "30",
        stdout=io.StringIO(),
    )
    fake = stdio(b'{"id": 7, "text": "cong ty no luong"}\nnot json\n')
    call_command("nlp", "predict", "--model", str(tmp_path / "model"))
    out = fake.stdout.getvalue().decode().splitlines()
    first = json.loads(out[0])
    assert first["id"] == 7 and first["label"] == "wages" and 0 < first["score"] <= 1
    assert out[1] == "not json"


def test_nlp_eval_prints_the_share_of_restored_concern_words_to_correct() -> None:
    out = io.StringIO()
    call_command("nlp", "eval", "--only", "concerns", stdout=out)
    row = next(line for line in out.getvalue().splitlines() if line.startswith("concern"))
    assert "restore_eval.txt (80 concerns" in row
    share = float(row.split("|")[2])
    # Reported 5.50 % of 1,037 words (README); standard error 0.82 by a bootstrap over the 80
    # concerns (measured 2026-12-06): more than two standard errors worse fails.
    assert 0.0 < share <= 5.50 + 2 * 0.82
    assert "flagged unsure" in row


def test_the_restoration_set_is_held_apart_from_the_seed_and_demo_concerns() -> None:
    data = Path(__file__).resolve().parents[2] / "feedback" / "data"
    others = {
        fold(json.loads(line)["text"]).strip(" .")[:40]
        for path in (data / "seed.jsonl", data / "heldout.jsonl", DEMO_CONCERNS)
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    }
    lines = (data / "restore_eval.txt").read_text("utf-8").splitlines()
    ours = [fold(t).strip(" .")[:40] for t in lines if t.strip() and not t.startswith("#")]
    assert len(ours) == 80 and not set(ours) & others
