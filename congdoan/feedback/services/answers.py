"""The answer the worker reads with the tracking code: publish it, correct it, or give one
answer to a whole group of similar concerns.

Every version of an answer is kept (`ConcernAnswer`): the worker reads the latest, officers
and the audit see them all. Answers to Zalo or SMS senders are pushed back on commit by the
`deliver_answer` task (see `channels.deliver_answer`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.feedback.models import OPEN_STATUSES, Concern, ConcernAnswer, ConcernEvent, Status
from congdoan.feedback.services import queue
from congdoan.feedback.services.history import audit_change, signed_in, transition
from congdoan.feedback.services.workflow import handler_fields
from congdoan.orgs.scoping import Viewer

ANSWERED_STATUSES = (Status.ANSWERED, Status.CLOSED)

# A blank of an answer template: "…" after a space ("trả lương tháng … trước ngày …."), never
# an ellipsis closing a word ("rất khó khăn…").
TEMPLATE_BLANK = re.compile(r"(?:^|\s)…")


def clean_answer(text: str, citation: str, citation_url: str) -> tuple[str, str, str]:
    """(text, citation, URL) as stored, or a Vietnamese ValidationError per field."""
    answer = (text or "").replace("\x00", "").strip()
    if not answer:
        raise ValidationError({"text": _("Xin viết nội dung trả lời.")})
    if TEMPLATE_BLANK.search(answer):
        raise ValidationError(
            {"text": _("Trả lời còn chỗ trống “…” của mẫu: xin điền vào trước khi gửi.")}
        )
    if len(answer) > 10000:
        raise ValidationError({"text": _("Nội dung trả lời quá dài (tối đa 10.000 ký tự).")})
    url = (citation_url or "").strip()
    # a page of this site ("/phap-luat/…", "/thu-vien/…") or a web address; never "//host"
    if url and (not url.startswith(("http://", "https://", "/")) or url.startswith("//")):
        raise ValidationError(
            {"citation_url": _("Đường dẫn căn cứ phải bắt đầu bằng http:// hoặc https://.")}
        )
    return answer, (citation or "").strip()[:255], url[:200]


def _answer_version(
    concern: Concern, *, author: User | None, is_correction: bool = False, reason: str = ""
) -> ConcernAnswer:
    """Write the concern's current answer as its next version (the rows are locked by the
    caller's conditional UPDATE, so two writers never take the same number)."""
    last = concern.answers.order_by("-version").values_list("version", flat=True).first() or 0
    return ConcernAnswer.objects.create(
        concern=concern,
        version=last + 1,
        text=concern.answer_text,
        citation=concern.answer_citation,
        url=concern.answer_url,
        is_correction=is_correction,
        reason=reason,
        author=author,
        created_at=timezone.now(),
    )


@transaction.atomic
def concern_answer(
    *,
    actor: Viewer,
    concern: Concern,
    text: str,
    citation: str = "",
    citation_url: str = "",
    note: str = "",
) -> Concern:
    """Publish the answer the worker reads with the code; push it back on Zalo/SMS after commit."""
    answer, citation, url = clean_answer(text, citation, citation_url)
    now = timezone.now()
    user = signed_in(actor)
    on_time = concern.due_at is None or now <= concern.due_at
    concern = transition(
        concern,
        to=Status.ANSWERED,
        allowed_from=OPEN_STATUSES,
        actor=user,
        kind="answer",
        answer_text=answer,
        answer_citation=citation,
        answer_url=url,
        answered_by=user,
        answered_at=now,
        answered_on_time=on_time,
        internal_note=(concern.internal_note + "\n" + note).strip()
        if note
        else concern.internal_note,
        **handler_fields(user, concern),
    )
    version = _answer_version(concern, author=user)
    audit_change(
        user,
        "feedback.answer",
        concern,
        {"citation": concern.answer_citation, "on_time": on_time, "version": version.version},
    )
    queue.enqueue_on_commit("deliver_answer", concern.pk)
    return concern


@transaction.atomic
def concern_answer_correct(
    *,
    actor: Viewer,
    concern: Concern,
    text: str,
    citation: str = "",
    citation_url: str = "",
    reason: str = "",
) -> Concern:
    """Correct an answer already sent: a new version (the old ones stay for officers and the
    audit), the worker reads the latest with a word that it changed, and Zalo/SMS workers get
    it again. The answer's first date and its on-time mark stay those of the first answer.

    Steps: 1. validate like an answer; 2. conditional UPDATE of the answer fields while the
    concern is still answered or closed (a concern reopened meanwhile gets a fresh answer
    instead); 3. version 1 is written from the old answer when it predates versions;
    4. the new version, an event, an audit entry with old → new; 5. deliver on commit.
    """
    answer, citation, url = clean_answer(text, citation, citation_url)
    reason = " ".join((reason or "").split())[:500]
    row = (
        Concern.objects.filter(pk=concern.pk)
        .values("answer_text", "answer_citation", "answer_url")
        .first()
    )
    if row is None:
        raise ValidationError(_("Không tìm thấy ý kiến."))
    old = {
        "answer_text": row["answer_text"],
        "answer_citation": row["answer_citation"],
        "answer_url": row["answer_url"],
    }
    new = {"answer_text": answer, "answer_citation": citation, "answer_url": url}
    if all(old[k] == v for k, v in new.items()):
        raise ValidationError({"text": _("Trả lời mới giống hệt trả lời đã gửi.")})
    updated = (
        Concern.objects.filter(pk=concern.pk, status__in=ANSWERED_STATUSES)
        .exclude(answer_text="")
        .update(**new)
    )
    if updated != 1:
        raise ValidationError(_("Chỉ sửa được trả lời đã gửi; xin tải lại trang."))
    user = signed_in(actor)
    if not concern.answers.exists():
        ConcernAnswer.objects.create(
            concern=concern,
            version=1,
            text=old["answer_text"],
            citation=old["answer_citation"],
            url=old["answer_url"],
            author_id=concern.answered_by_id,
            created_at=concern.answered_at or timezone.now(),
        )
    concern.refresh_from_db()
    version = _answer_version(concern, author=user, is_correction=True, reason=reason)
    ConcernEvent.objects.create(concern=concern, kind="answer_correct", actor=user, note=reason)
    changes = {k: [old[k], v] for k, v in new.items() if old[k] != v}
    audit_change(user, "feedback.answer_correct", concern, {**changes, "version": version.version})
    queue.enqueue_on_commit("deliver_answer", concern.pk)
    return concern


def concern_answer_many(
    *,
    actor: Viewer,
    concerns: list[Concern],
    text: str,
    citation: str = "",
    citation_url: str = "",
) -> int:
    """The same answer to many concerns (a cluster); each in its own transaction, a concern
    that someone else answered meanwhile is skipped. Returns how many were answered."""
    done = 0
    for concern in concerns:
        try:
            concern_answer(
                actor=actor,
                concern=concern,
                text=text,
                citation=citation,
                citation_url=citation_url,
            )
        except ValidationError:
            continue
        done += 1
    return done
