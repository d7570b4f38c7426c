"""A signed-in member's "Tôi đã đọc bản tin này" on a sent e-bulletin issue (issue 15: a
member who acknowledged a bulletin counts as reached in that year).

Like a product read (view_counts.product_read_record), this is the member's own act: one
`BulletinAck(member, issue)` row, written once with `INSERT … ON CONFLICT DO NOTHING` (pressing
the button again adds nothing), no audit entry, and no page shows who acknowledged; only the
member sees their own state, on a page that is never kept in the anonymous page cache (a
signed-in request carries a session cookie, which core/page_cache.py never serves nor keeps).
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from congdoan.content.bulletin import Week
from congdoan.content.models_bulletin import BulletinAck, BulletinIssue
from congdoan.orgs.selectors import member_id_of


class AckState(enum.Enum):
    NOT_SENT = "not_sent"  # the week was not sent as an issue (yet): nothing to acknowledge
    ANONYMOUS = "anonymous"  # show the "sign in to acknowledge" link
    NOT_MEMBER = "not_member"  # a signed-in user who is no union member: nothing shown
    OPEN = "open"  # the button
    DONE = "done"  # already acknowledged


def _member_id(user: AbstractBaseUser | AnonymousUser) -> int | None:
    if not user.is_authenticated:
        return None
    return member_id_of(user.pk)


def _issue_id(week: Week) -> int | None:
    return (
        BulletinIssue.objects.filter(year=week.year, week=week.week)
        .values_list("pk", flat=True)
        .first()
    )


def ack_state(*, user: AbstractBaseUser | AnonymousUser, week: Week) -> AckState:
    """What the week's page offers this visitor (only a sent issue can be acknowledged)."""
    issue_id = _issue_id(week)
    if issue_id is None:
        return AckState.NOT_SENT
    if not user.is_authenticated:
        return AckState.ANONYMOUS
    member_id = _member_id(user)
    if member_id is None:
        return AckState.NOT_MEMBER
    done = BulletinAck.objects.filter(member_id=member_id, issue_id=issue_id).exists()
    return AckState.DONE if done else AckState.OPEN


def ack_record(*, user: AbstractBaseUser | AnonymousUser, week: Week) -> AckState:
    """Note that the signed-in member read the week's issue (once; again adds nothing). The
    answer is the state afterwards: DONE, or why nothing was written."""
    if not user.is_authenticated:
        return AckState.ANONYMOUS
    member_id = _member_id(user)
    if member_id is None:
        return AckState.NOT_MEMBER
    issue_id = _issue_id(week)
    if issue_id is None:
        return AckState.NOT_SENT
    BulletinAck.objects.bulk_create(
        [BulletinAck(member_id=member_id, issue_id=issue_id)], ignore_conflicts=True
    )
    return AckState.DONE
