"""Writes of the legal app, by topic; each atomic, each write on behalf of a person audited.

- `laws`: importing parsed laws, versions of amended articles, flagging the answers that cite
  them (`import_laws`);
- `answers`: curated answers (create, update, publish, review) and citations of articles by
  other apps' rows (`cite`, `uncite`);
- `questions`: the questions workers asked, masked (`record_question`, `mark_helpful`).
"""

from __future__ import annotations

from congdoan.legal.services.answers import (
    answer_create,
    answer_delete,
    answer_mark_reviewed,
    answer_publish,
    answer_unpublish,
    answer_update,
    cite,
    uncite,
)
from congdoan.legal.services.laws import ImportReport, import_laws
from congdoan.legal.services.questions import (
    mark_helpful,
    mark_turned_into_concern,
    record_question,
)

__all__ = [
    "ImportReport",
    "answer_create",
    "answer_delete",
    "answer_mark_reviewed",
    "answer_publish",
    "answer_unpublish",
    "answer_update",
    "cite",
    "import_laws",
    "mark_helpful",
    "mark_turned_into_concern",
    "record_question",
    "uncite",
]
