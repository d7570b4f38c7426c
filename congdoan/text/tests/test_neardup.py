"""The near-duplicate pairs and their evaluation (`congdoan nlp eval --only near-duplicates`)."""

from __future__ import annotations

from collections import Counter

from congdoan.text import neardup


def test_the_pairs_file_holds_both_halves_and_every_kind():
    pairs = neardup.read_pairs()
    assert len(pairs) >= 150
    halves = Counter((p["split"], p["same"]) for p in pairs)
    assert all(halves[split, same] >= 30 for split in ("dev", "test") for same in (True, False))
    kinds = {p["kind"] for p in pairs}
    assert {"teen-code", "diacritics stripped", "truncated", "headline reworded"} <= kinds


def test_the_threshold_is_tuned_on_dev_and_copies_are_found_on_test():
    result = neardup.evaluate_pairs()
    assert 0.2 <= result.threshold <= 0.95
    assert result.precision >= 90 and result.recall >= 80
    for kind in ("teen-code", "diacritics stripped", "shared with a prefix or comment"):
        assert result.recall_by_kind[kind] >= 90


def test_the_shorthand_written_out_piece_by_piece_is_the_one_pass_s():
    texts = ["ko dc j, cty nợ lương", "bay h di", "cam on ae", "k0 ko, a/c ko/ /ko", "", "  ko  "]
    for group in (texts, texts[2:], texts[:1]):
        joined = neardup.fold(neardup._ZERO_WIDTH.sub("", neardup._SEP.join(group)))
        once = neardup._TOKEN.sub(neardup._expand, joined)
        assert neardup._shorthand(joined) == once
        assert neardup._shorthand(joined) == once  # remembered pieces too
