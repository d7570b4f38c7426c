"""Writes to workers' concerns, by topic. Each write is atomic; officers' writes are audited.

The way of a concern, module by module:

- `intake`: `concern_submit` writes it as it arrived (web form, API, Zalo, SMS, an
  officer's record, a paper form), routed at once (`routing`), and enqueues its triage on
  commit (`queue`); `throttling` limits how often one address may send or look up;
- the triage itself (restore, classify, route, cluster) is the `congdoan.feedback.triage`
  package, run by the `triage_concern` task;
- `workflow`: the officers' work (correct, assign, send up, start, note, close), every
  status change a conditional UPDATE with an event (`history`);
- `answers`: the answer the worker reads with the code, its corrections, one answer to a
  whole group; Zalo/SMS senders get it pushed back on commit;
- `tracking`: what the worker does with the code (rate, reopen, erase their contact);
- `zalo_prefixes`: Zalo messages another app claims by their first words ("#baotin").

Views, the API and other apps import this package (`services.concern_assign(...)`); what
they may call is listed in `__all__`.
"""

from __future__ import annotations

from congdoan.feedback.services.answers import (
    concern_answer,
    concern_answer_correct,
    concern_answer_many,
)
from congdoan.feedback.services.intake import clean_text, concern_submit
from congdoan.feedback.services.routing import fallback_unit, fallback_unit_shown
from congdoan.feedback.services.throttling import Throttled, throttle_lookup, throttle_submission
from congdoan.feedback.services.tracking import (
    concern_erase_contact,
    concern_rate,
    concern_reopen,
)
from congdoan.feedback.services.workflow import (
    concern_add_note,
    concern_assign,
    concern_close,
    concern_correct,
    concern_forward_up,
    concern_start,
)
from congdoan.feedback.services.zalo_prefixes import register_zalo_prefix

__all__ = [
    "Throttled",
    "clean_text",
    "concern_add_note",
    "concern_answer",
    "concern_answer_correct",
    "concern_answer_many",
    "concern_assign",
    "concern_close",
    "concern_correct",
    "concern_erase_contact",
    "concern_forward_up",
    "concern_rate",
    "concern_reopen",
    "concern_start",
    "concern_submit",
    "fallback_unit",
    "fallback_unit_shown",
    "register_zalo_prefix",
    "throttle_lookup",
    "throttle_submission",
]
