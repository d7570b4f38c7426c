"""Triage: what a concern is about, how urgent it is, where it goes, which others it joins.

All of it lives in this package, in the order a concern meets it:

- `analysis`: the text pipeline, one text in, what it says out (restore the diacritics,
  topic, urgency, sentiment, "about the union"); `keywords` holds its rules over folded
  text and `classifiers` its trained models;
- `batch`: the database side, run by the `triage_concern` task (`triage_queued`) and the
  periodic sweep (`triage_leftovers`): claim the waiting concerns, analyse them in one
  batch, route them (`services.routing`), set their deadline, cluster them and write them;
- `clustering`: similar concerns of one union join one group (MinHash + numpy), and
  `rows` the one-statement UPDATE the batch writes with.

What the rest of the app calls is re-exported here.
"""

from __future__ import annotations

from congdoan.feedback.triage.analysis import TriageResult, analyse, analyse_many
from congdoan.feedback.triage.batch import (
    TRIAGE_BATCH,
    concern_triage,
    triage_leftovers,
    triage_one,
    triage_pending,
    triage_queued,
    untriaged,
)
from congdoan.feedback.triage.classifiers import model_dir, reset_models
from congdoan.feedback.triage.keywords import URGENT_RULES, is_about_union, urgency_for

__all__ = [
    "TRIAGE_BATCH",
    "URGENT_RULES",
    "TriageResult",
    "analyse",
    "analyse_many",
    "concern_triage",
    "is_about_union",
    "model_dir",
    "reset_models",
    "triage_leftovers",
    "triage_one",
    "triage_pending",
    "triage_queued",
    "untriaged",
    "urgency_for",
]
