"""Reads of workers' concerns, always through the viewer's scope and the rules of `feedback.rules`.

By topic:
- `inbox`: the concerns a viewer sees (`visible_concerns`), the inbox's filters, one concern
  (`concern_detail` to show, `concern_in_scope` to write), officers to assign, a contact's data;
- `display`: `ConcernView`, a concern as one viewer is shown it (read-only, contacts masked);
- `answering`: answer versions, templates, a legal basis from the library, articles of the
  law suggested for the concern and the link a citation names (congdoan.legal);
- `worker`: what a worker reads with a tracking code, their own concerns, the unions to pick;
- `analytics`: duplicate groups, the dashboard's table, period summaries, spikes;
- `today`: the officer's work for today (the home page);
- `reach`: members whose concern was answered (evidence of reach, for the plan).

Callers write `from congdoan.feedback import selectors` and `selectors.<name>`: the names
below are the app's public read API.
"""

from __future__ import annotations

from congdoan.feedback.selectors.analytics import (
    cluster_detail,
    cluster_list,
    feedback_period_summary,
    spikes,
    topic_unit_month,
)
from congdoan.feedback.selectors.answering import (
    answer_templates,
    article_suggestions,
    citation_link,
    concern_answers,
    laws_imported,
    legal_suggestions,
)
from congdoan.feedback.selectors.display import ConcernView, concern_view
from congdoan.feedback.selectors.inbox import (
    InboxFilters,
    assignable_officers,
    concern_detail,
    concern_events,
    concern_export_rows,
    concern_in_scope,
    concern_list,
    concern_page,
    concern_queryset,
    contact_export,
    open_cluster_mates,
)
from congdoan.feedback.selectors.reach import answered_member_ids
from congdoan.feedback.selectors.today import officer_today
from congdoan.feedback.selectors.worker import (
    concern_for_worker,
    member_concerns,
    member_union,
    public_view,
    unit_choices_public,
    unit_options_public,
)

__all__ = [
    "ConcernView",
    "InboxFilters",
    "answer_templates",
    "answered_member_ids",
    "article_suggestions",
    "assignable_officers",
    "citation_link",
    "cluster_detail",
    "cluster_list",
    "concern_answers",
    "concern_detail",
    "concern_events",
    "concern_export_rows",
    "concern_for_worker",
    "concern_in_scope",
    "concern_list",
    "concern_page",
    "concern_queryset",
    "concern_view",
    "contact_export",
    "feedback_period_summary",
    "laws_imported",
    "legal_suggestions",
    "member_concerns",
    "member_union",
    "officer_today",
    "open_cluster_mates",
    "public_view",
    "spikes",
    "topic_unit_month",
    "unit_choices_public",
    "unit_options_public",
]
