"""docs/figures.json is the one place figures are written: benchmarks record into it, and the
README table and docs/text.md are made from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from congdoan.text.evaluate import Row
from congdoan_dev import figures


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "figures.json"
    shutil.copy(figures.FIGURES_FILE, path)
    return path


def test_the_readme_and_docs_say_what_the_figures_file_says() -> None:
    assert figures.main(["--check"]) == 0


def test_every_figure_has_its_command_date_and_load() -> None:
    data = figures.load()
    names = [f["name"] for f in data["figures"]]
    assert len(names) == len(set(names))
    for figure in data["figures"]:
        assert figure["command"] and figure["date"] and figure["load"], figure["name"]


def test_a_benchmark_replaces_its_own_figure_and_adds_a_new_one(copy: Path) -> None:
    before = figures.load(copy)
    figures.record("tree.subtree_count", 98.5, "ms", command="congdoan bench tree", path=copy)
    figures.record("tree.new_figure", 3, "ms", command="congdoan bench tree", path=copy)
    after = figures.figures_by_name(figures.load(copy))
    assert len(after) == len(before["figures"]) + 1
    assert after["tree.subtree_count"]["value"] == 98.5
    assert after["tree.subtree_count"]["command"] == "congdoan bench tree"
    assert "CPUs" in after["tree.subtree_count"]["load"]
    row = figures.readme_table(figures.load(copy)).splitlines()[2]
    assert "| 98.5 ms |" in row


def test_values_are_written_with_their_unit() -> None:
    def fmt(value: float | str, unit: str) -> str:
        return figures.format_value({"value": value, "unit": unit})

    assert fmt(3675, "sentences/s") == "3,675 sentences/s"
    assert fmt(5.4, "×") == "5.4×"
    assert fmt(560, "/s") == "560/s"
    assert fmt(95.22, "%") == "95.22 %"
    assert fmt("596–629", "/s") == "596–629/s"
    assert fmt(74.3, "") == "74.3"


def test_a_reference_to_a_missing_figure_fails_loudly(copy: Path) -> None:
    data = json.loads(copy.read_text("utf-8"))
    data["readme"][0]["figure"] = "{no.such.figure}"
    with pytest.raises(KeyError, match=r"no\.such\.figure"):
        figures.readme_table(data)


def test_the_shipped_models_size_is_computed_from_the_files() -> None:
    size = figures.shipped_models_mb()
    assert 1 < size < 60
    assert figures.figures_by_name(figures.load())["text.shipped_models"]["value"] == size


def test_an_evaluation_records_its_named_rows_and_the_accurate_modes_loss(copy: Path) -> None:
    rows = [
        Row("t", "d", 95.5, "", "", figure="text.diacritics_accuracy"),
        Row("t", "d", 80.0, "", "", stripped=78.5, figure="text.sentiment_f1_accurate"),
        Row(
            "t",
            "d",
            30.0,
            "",
            "",
            extra={"clean_unchanged": 99.5, "other": 3.0},
            figure="text.noisy_corrected",
            extra_figures={"clean_unchanged": "text.clean_unchanged"},
        ),
        Row("comparison only", "d", 50.0, "", ""),
    ]
    assert figures.record_eval(rows, command="congdoan nlp eval", path=copy) == 6
    got = figures.figures_by_name(figures.load(copy))
    assert got["text.diacritics_accuracy"]["value"] == 95.5
    assert got["text.diacritics_accuracy"]["unit"] == "%"
    assert got["text.sentiment_f1_accurate_stripped"]["value"] == 78.5
    assert got["text.sentiment_accurate_stripped_loss"]["value"] == 1.5
    assert got["text.clean_unchanged"]["value"] == 99.5
    assert got["text.sentiment_f1_accurate"]["load"] == "—"
