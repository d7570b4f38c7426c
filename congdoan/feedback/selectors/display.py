"""One concern as a viewer is shown it: a read-only view whose contact fields follow the rule.

Pages, exports and the API show a `ConcernView`, never a model instance with fields blanked:
the real row stays whole for the services that write it, and the view cannot be saved, changed
or used to reach the sender. It exposes the fields and derived values the pages need (listed
in `SHOWN`: a new field is hidden until someone adds it there); the sender's name, phone and
Zalo id read "" unless `rules.can_see_contact` allows them; who sent it (`submitted_by`) and
the address hash are not exposed at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from congdoan.feedback.models import Concern
from congdoan.feedback.rules import can_see_contact
from congdoan.orgs.scoping import Viewer

#: The sender's contact: shown only when the rule allows, "" otherwise.
CONTACT_FIELDS = frozenset({"contact_name", "contact_phone", "contact_zalo_id"})

#: Everything else a page, an export or the API reads of a concern.
SHOWN = frozenset(
    {
        "pk",
        "id",
        "code",
        "created_at",
        "channel",
        "get_channel_display",
        "unit",
        "unit_id",
        "assigned_unit",
        "assigned_unit_id",
        "assignee",
        "assignee_id",
        "hidden_from_unit",
        "wants_upper_level",
        "about_union",
        "is_anonymous",
        "contact_erased_at",
        "text",
        "restored_text",
        "restoration_confidence",
        "restoration_doubts",
        "restoration_is_sure",
        "restoration_parts",
        "display_text",
        "photo",
        "topic",
        "get_topic_display",
        "topic_confidence",
        "topic_corrected",
        "needs_review",
        "urgency",
        "get_urgency_display",
        "urgency_corrected",
        "urgency_reasons",
        "sentiment",
        "get_sentiment_display",
        "status",
        "get_status_display",
        "is_open",
        "is_overdue",
        "cluster",
        "cluster_id",
        "triaged_at",
        "due_at",
        "reminded_at",
        "escalated_at",
        "answered_at",
        "answered_on_time",
        "closed_at",
        "answer_text",
        "answer_citation",
        "answer_url",
        "rating",
        "rating_comment",
        "reopen_count",
        "internal_note",
    }
)


class ConcernView:
    """A concern as one viewer is shown it (read-only; contacts masked by the rule)."""

    __slots__ = ("_concern", "contact_visible")
    _concern: Concern
    contact_visible: bool

    def __init__(self, concern: Concern, *, contact_visible: bool) -> None:
        object.__setattr__(self, "_concern", concern)
        object.__setattr__(self, "contact_visible", contact_visible)

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not slots: the shown fields of the row.
        if name in CONTACT_FIELDS:
            return getattr(self._concern, name) if self.contact_visible else ""
        if name in SHOWN:
            return getattr(self._concern, name)
        raise AttributeError(f"a concern as shown has no {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a concern as shown is read-only: write through the services")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a concern as shown is read-only: write through the services")

    def __repr__(self) -> str:
        return f"<ConcernView {self._concern.code}{'' if self.contact_visible else ' masked'}>"


def concern_view(viewer: Viewer, concern: Concern) -> ConcernView:
    """The concern as the viewer is shown it (the caller has checked that the viewer sees it)."""
    return ConcernView(concern, contact_visible=can_see_contact(viewer, concern))


def concern_views(viewer: Viewer, concerns: Iterable[Concern]) -> list[ConcernView]:
    return [concern_view(viewer, concern) for concern in concerns]
