"""Claim matching that tells a story from its denial, measured on the project's own pairs, for
`congdoan nlp eval --only claim-match` (registered in :mod:`.apps`: the toolkit imports no app).

The set, ``congdoan/text/data/union_claim_pairs.jsonl`` (``{"claim", "text", "label",
"split"}``), pairs known false claims about the union with posts that repeat them (reworded,
accent-less, teen-code), refute them (denials, "… là sai", the opposite action: "đã trao đủ"
for "giữ lại") or tell another story on the same topic. The claims of the ``dev`` half (the
opposite-meaning check, :mod:`.detection.opposite`, was written on them) are not those of the
``test`` half.

Each pair is matched as detection matches an item (:func:`.detection.claims.match_claims`, the
claim alone as the known claims): by words, and by meaning when e5 is installed, with and
without the opposite-meaning check. A pair is found a repeat when the text matches the claim.
"""

from __future__ import annotations

from pathlib import Path

from congdoan.text.datasets import read_jsonl
from congdoan.text.evaluate import Row

PAIRS_FILE = Path(__file__).resolve().parents[1] / "text" / "data" / "union_claim_pairs.jsonl"
REPEATS, REFUTES, UNRELATED = "repeats", "refutes", "unrelated"


def claim_pairs(split: str) -> list[tuple[str, str, str]]:
    """(claim, text, label) of one half of the pair set."""
    rows = read_jsonl(PAIRS_FILE)
    return [(r["claim"], r["text"], r["label"]) for r in rows if r["split"] == split]


def found_repeats(
    pairs: list[tuple[str, str, str]], *, semantic: bool, opposite_check: bool
) -> list[bool]:
    """Whether each pair's text is matched to its claim."""
    from congdoan.monitoring.detection import claims, prepare, words_of  # lazy: the models

    texts = sorted({c for c, _, _ in pairs})
    vectors = list(claims.claim_vectors(texts)) if semantic else [None] * len(texts)
    known = {
        t: claims.claim_of(i, t, vector=v)
        for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    }
    out = []
    for claim, text, _ in pairs:
        prepared = prepare("", text)
        ((claim_id, _score), _refuted), *_ = claims.match_claims(
            [prepared],
            [words_of(prepared)],
            [known[claim]],
            semantic=semantic,
            opposite_check=opposite_check,
        )
        out.append(claim_id is not None)
    return out


def _tally(labels: list[str], found: list[bool]) -> tuple[int, int, int]:
    """True positives, false positives, false negatives of "repeats"."""
    tp = sum(f and g == REPEATS for g, f in zip(labels, found, strict=True))
    fp = sum(f and g != REPEATS for g, f in zip(labels, found, strict=True))
    fn = sum(not f and g == REPEATS for g, f in zip(labels, found, strict=True))
    return tp, fp, fn


def _f1(labels: list[str], found: list[bool]) -> float:
    tp, fp, fn = _tally(labels, found)
    return 100.0 * 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _pr(labels: list[str], found: list[bool]) -> tuple[float, float]:
    """Precision and recall of "repeats", per cent."""
    tp, fp, fn = _tally(labels, found)
    return 100.0 * tp / max(1, tp + fp), 100.0 * tp / max(1, tp + fn)


def _precision_recall(labels: list[str], found: list[bool]) -> str:
    precision, recall = _pr(labels, found)
    return f"P {precision:.1f} R {recall:.1f}"


def _share(labels: list[str], found: list[bool], label: str) -> float:
    """Per cent of the pairs of ``label`` that were matched."""
    hits = sum(f for g, f in zip(labels, found, strict=True) if g == label)
    return 100.0 * hits / max(1, labels.count(label))


def _counts(labels: list[str], found: list[bool]) -> str:
    def n(label: str) -> int:
        return sum(f for g, f in zip(labels, found, strict=True) if g == label)

    return (
        f"repeats found {n(REPEATS)}/{labels.count(REPEATS)}, refutations taken for repeats "
        f"{n(REFUTES)}/{labels.count(REFUTES)}, other stories {n(UNRELATED)}/"
        f"{labels.count(UNRELATED)}"
    )


def eval_claim_match(_models_dir: Path | None = None) -> Row:
    """F1 of "repeats" on the test half (by meaning when e5 is installed, else by words), with
    the opposite-meaning check; before/after and the other way in the notes."""
    from congdoan.text.embed import available  # lazy: with the models

    semantic = available()
    test, dev = claim_pairs("test"), claim_pairs("dev")
    labels = [label for _, _, label in test]
    notes = []
    figures: dict[str, float] = {}
    words_pr = {
        "precision_words": "monitoring.claim_match_precision_by_words",
        "recall_words": "monitoring.claim_match_recall_by_words",
    }
    for way in (True, False) if semantic else (False,):
        name = "meaning" if way else "words"
        before = found_repeats(test, semantic=way, opposite_check=False)
        after = found_repeats(test, semantic=way, opposite_check=True)
        dev_after = found_repeats(dev, semantic=way, opposite_check=True)
        dev_f1 = _f1([label for _, _, label in dev], dev_after)
        figures[name] = _f1(labels, after)
        figures[f"precision_{name}"], figures[f"recall_{name}"] = _pr(labels, after)
        if way == semantic:  # the headline way: the share of refutations taken for repeats
            figures["refutes_taken_before"] = _share(labels, before, REFUTES)
            figures["refutes_taken_after"] = _share(labels, after, REFUTES)
        notes.append(
            f"by {name}: F1 {_f1(labels, before):.1f} -> {figures[name]:.1f} with the check "
            f"({_precision_recall(labels, after)}; dev F1 {dev_f1:.1f}, "
            f"{_precision_recall([label for _, _, label in dev], dev_after)}); "
            f"before: {_counts(labels, before)}; after: "
            f"{_counts(labels, after)}"
        )
    best = "meaning" if semantic else "words"
    return Row(
        f"claim matching, F1 of 'repeats' (by {best}, opposite-meaning check)",
        f"union_claim_pairs test half ({len(test)} pairs, "
        f"{len({c for c, _, _ in test})} claims, ours)",
        figures[best],
        "none",
        "report",
        notes="; ".join(notes),
        extra=figures,
        figure=f"monitoring.claim_match_repeats_f1_{'semantic' if semantic else 'lexical'}",
        extra_figures={
            "words": "monitoring.claim_match_f1_by_words",
            "precision_meaning": "monitoring.claim_match_precision_by_meaning",
            "recall_meaning": "monitoring.claim_match_recall_by_meaning",
            **words_pr,
            "refutes_taken_before": "monitoring.claim_match_refutations_taken_before",
            "refutes_taken_after": "monitoring.claim_match_refutations_taken",
        }
        if semantic
        else {
            **words_pr,
            "refutes_taken_before": "monitoring.claim_match_refutations_taken_before",
            "refutes_taken_after": "monitoring.claim_match_refutations_taken",
        },
    )
