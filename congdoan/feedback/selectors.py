"""Reads of workers' concerns, always through the viewer's scope (congdoan.orgs.scoping).

Two rules live here and nowhere else:
- which concerns a viewer sees: those handled by a unit in their scope, plus those of a
  union in their scope unless the concern is hidden from that union (it is about the union
  itself, or the worker asked for the upper level);
- whose contact details a viewer sees: a named sender's to every officer who sees the
  concern; an anonymous sender's only to the Office of an upper level
  (`can_see_anonymous_contact` / `office_q`). Every list, detail, export and API read
  returns concerns passed through `mask_contacts`, so no page can bypass it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from congdoan.feedback.models import (
    OPEN_STATUSES,
    AnswerTemplate,
    Channel,
    Cluster,
    Concern,
    ConcernAnswer,
    ConcernEvent,
    Status,
    Topic,
    Urgency,
    clean_code,
)
from congdoan.library.models import DocType
from congdoan.library.selectors import search_documents
from congdoan.orgs.collation import person_key
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Scope, office_q, scope_for, unit_q
from congdoan.orgs.site import home_unit, successor_of
from congdoan.text import fold

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_zalo_id", "ip_hash")
NEW_STATUSES = (Status.RECEIVED, Status.TRIAGED)


# -- visibility and masking ---------------------------------------------------------------------


def visible_q(scope: Scope) -> Q:
    if scope.is_admin:
        return Q()
    if not scope.unit_paths:
        return Q(pk__in=[])
    return unit_q(scope, "assigned_unit") | (unit_q(scope, "unit") & Q(hidden_from_unit=False))


def contact_visible_q(scope: Scope) -> Q:
    if scope.is_admin:
        return Q()
    return Q(is_anonymous=False) | office_q(scope, "unit") | office_q(scope, "assigned_unit")


def can_see_contact(scope: Scope, concern: Concern) -> bool:
    if scope.is_admin or not concern.is_anonymous:
        return True
    paths = [u.path for u in (concern.unit, concern.assigned_unit) if u is not None]
    return any(scope.office_covers_path(p) for p in paths)


def mask_contacts(viewer: Any, concerns: Iterable[Concern]) -> list[Concern]:
    """Blank the sender's details the viewer may not see; mark every row (`contact_visible`)."""
    scope = scope_for(viewer)
    out = []
    for concern in concerns:
        visible = scope.is_officer and can_see_contact(scope, concern)
        concern.contact_visible = visible  # type: ignore[attr-defined]
        if not visible:
            for name in CONTACT_FIELDS:
                setattr(concern, name, "")
            concern.submitted_by_id = None  # type: ignore[attr-defined]
            concern._masked = True  # type: ignore[attr-defined]
        out.append(concern)
    return out


def _base(viewer: Any) -> QuerySet[Concern]:
    scope = scope_for(viewer)
    return Concern.objects.filter(visible_q(scope)).select_related(
        "unit", "assigned_unit", "assigned_unit__level", "unit__level", "cluster", "assignee"
    )


def _sees(viewer: Any, concern: Concern) -> bool:
    """Whether the viewer may see the concern: asked of the database once per request, not
    by each selector of the same page (a row from `concern_detail` carries its answer, keyed
    by the request's scope object, `scope_for` being cached on the user)."""
    scope = scope_for(viewer)
    if getattr(concern, "_seen_in", None) is scope:
        return True
    if not _base(viewer).filter(pk=concern.pk).exists():
        return False
    concern._seen_in = scope  # type: ignore[attr-defined]
    return True


# -- officers' inbox -----------------------------------------------------------------------------


@dataclass
class InboxFilters:
    status: str = ""
    topic: str = ""
    urgency: str = ""
    unit: str = ""
    channel: str = ""
    cluster: int | None = None
    q: str = ""
    overdue: bool = False
    sort: str = ""  # "" newest first, "urgent" most urgent first, "due" nearest deadline first

    @classmethod
    def from_query(cls, data: Any) -> InboxFilters:
        def pick(name: str, allowed: list[str]) -> str:
            value = str(data.get(name, "") or "")
            return value if value in allowed else ""

        cluster = str(data.get("cluster", "") or "")
        return cls(
            status=pick("status", [*Status.values, "open", "new"]),
            topic=pick("topic", Topic.values),
            urgency=pick("urgency", Urgency.values),
            unit=str(data.get("unit", "") or "")[:40],
            channel=pick("channel", Channel.values),
            cluster=int(cluster) if cluster.isdigit() else None,
            q=str(data.get("q", "") or "").strip()[:200],
            overdue=str(data.get("overdue", "")) in ("1", "on", "true"),
            sort=pick("sort", ["urgent", "due"]),
        )

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def filters_q(f: InboxFilters) -> Q:
    """The inbox's filters as one condition (the inbox and the home page's counts share it)."""
    q = Q()
    if f.status == "open":
        q &= Q(status__in=OPEN_STATUSES)
    elif f.status == "new":  # not taken by anyone yet
        q &= Q(status__in=NEW_STATUSES)
    elif f.status:
        q &= Q(status=f.status)
    if f.topic:
        q &= Q(topic=f.topic)
    if f.urgency:
        q &= Q(urgency=f.urgency)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        q &= (Q(unit__path__startswith=unit.path) | Q(assigned_unit=unit)) if unit else Q(pk__in=[])
    if f.channel:
        q &= Q(channel=f.channel)
    if f.cluster:
        q &= Q(cluster_id=f.cluster)
    if f.overdue:
        q &= Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    if f.q:
        code = clean_code(f.q)
        q &= Q(search_text__contains=" ".join(fold(f.q).split())) | Q(code=code)
    return q


def _ordering(f: InboxFilters) -> list[Any]:
    if f.sort == "urgent":
        rank = Case(
            When(urgency=Urgency.URGENT, then=Value(0)),
            When(urgency=Urgency.HIGH, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [rank, F("due_at").asc(nulls_last=True), "-id"]
    if f.sort == "due":
        return [F("due_at").asc(nulls_last=True), "-id"]
    return ["-created_at", "-id"]


def concern_queryset(*, viewer: Any, filters: InboxFilters | None = None) -> QuerySet[Concern]:
    """The viewer's concerns, filtered; callers must pass rows through `mask_contacts` (the page/export helpers do)."""
    f = filters or InboxFilters()
    return _base(viewer).filter(filters_q(f)).order_by(*_ordering(f))


def concern_page(
    *, viewer: Any, filters: InboxFilters | None = None, page: Any = 1, per_page: int = 30
) -> Page[Concern]:
    result = Paginator(concern_queryset(viewer=viewer, filters=filters), per_page).get_page(page)
    result.object_list = mask_contacts(viewer, result.object_list)
    return result


def concern_export_rows(
    *, viewer: Any, filters: InboxFilters | None = None, limit: int = 50_000
) -> Iterator[Concern]:
    """Masked concerns for an export, streamed in chunks."""
    qs = concern_queryset(viewer=viewer, filters=filters)[:limit]
    chunk: list[Concern] = []
    for concern in qs.iterator(chunk_size=1000):
        chunk.append(concern)
        if len(chunk) == 1000:
            yield from mask_contacts(viewer, chunk)
            chunk = []
    yield from mask_contacts(viewer, chunk)


def concern_detail(*, viewer: Any, code: str) -> Concern:
    """One concern the viewer may see (masked), or 404 with no hint that it exists."""
    concern = _base(viewer).filter(code=clean_code(code)).first()
    if concern is None:
        raise Http404
    concern._seen_in = scope_for(viewer)  # type: ignore[attr-defined]
    return mask_contacts(viewer, [concern])[0]


def open_cluster_mates(*, viewer: Any, concern: Concern) -> list[Concern]:
    """Other open concerns of the same cluster that the viewer may see (unmasked rows for a service:
    the caller writes with them and shows nothing of them)."""
    if not concern.cluster_id:
        return []
    return list(
        _base(viewer)
        .filter(cluster_id=concern.cluster_id, status__in=OPEN_STATUSES)
        .exclude(pk=concern.pk)
    )


def concern_events(*, viewer: Any, concern: Concern) -> list[Any]:
    if not _sees(viewer, concern):
        return []
    return list(concern.events.select_related("actor").order_by("created_at", "id"))


def assignable_officers(*, viewer: Any, concern: Concern) -> list[Any]:
    """Officers with a login in the unit that handles the concern (and the viewer's own units),
    in Vietnamese order: by given name, then middle name and surname."""
    from congdoan.accounts.models import User

    scope = scope_for(viewer)
    unit_ids = [i for i in {concern.assigned_unit_id, *scope.unit_ids} if i is not None]
    today = timezone.localdate()
    users = (
        User.objects.filter(
            appointments__unit_id__in=unit_ids,
            appointments__manages=True,
            appointments__started_on__lte=today,
        )
        .filter(Q(appointments__ended_on__isnull=True) | Q(appointments__ended_on__gt=today))
        .distinct()
    )
    allowed = (
        [u for u in users if scope_for(u).covers_path(concern.assigned_unit.path)]
        if concern.assigned_unit
        else []
    )
    return sorted(allowed, key=lambda u: person_key(u.get_full_name() or u.email))


# -- answering: versions, templates, a legal basis from the library ----------------------------


def concern_answers(*, viewer: Any, concern: Concern) -> list[ConcernAnswer]:
    """Every version of the answer, oldest first, for an officer who may see the concern."""
    if not _sees(viewer, concern):
        return []
    return list(concern.answers.select_related("author").order_by("version"))


def answer_templates(*, viewer: Any, concern: Concern) -> list[AnswerTemplate]:
    """Active templates for the concern's topic (and those for any topic), shared by everyone
    or kept by a unit above the one handling the concern."""
    if not _sees(viewer, concern):
        return []
    handler = concern.assigned_unit or concern.unit
    units = Q(unit__isnull=True)
    if handler is not None:
        units |= Q(unit_id__in=handler.ancestor_ids())
    topics = (Q(topic="") | Q(topic=concern.topic)) if concern.topic else Q(topic="")
    return list(
        AnswerTemplate.objects.filter(units, topics, is_active=True).order_by(
            F("topic").desc(), "title"
        )[:20]
    )


# Words of the law for each topic: the library is searched for those the concern uses first,
# then for the topic's main ones.
LEGAL_TERMS: dict[str, list[str]] = {
    Topic.WAGES: ["trả lương", "tiền lương", "khấu trừ lương", "lương tối thiểu", "tiền thưởng"],
    Topic.HOURS: ["làm thêm giờ", "thời giờ làm việc", "thời giờ nghỉ ngơi", "nghỉ hằng năm"],
    Topic.INSURANCE: ["bảo hiểm xã hội", "bảo hiểm y tế", "thai sản", "bảo hiểm thất nghiệp"],
    Topic.SAFETY: ["an toàn, vệ sinh lao động", "tai nạn lao động", "bệnh nghề nghiệp"],
    Topic.CONTRACT: ["hợp đồng lao động", "kỷ luật lao động", "sa thải", "chấm dứt hợp đồng"],
    Topic.WELFARE: ["phúc lợi", "thưởng Tết", "trợ cấp", "bữa ăn ca"],
    Topic.LIVING: ["nhà ở công nhân", "nhà trẻ", "đưa đón công nhân"],
    Topic.UNION: ["đoàn phí", "kinh phí công đoàn", "công đoàn cơ sở"],
    Topic.HARASSMENT: ["quấy rối tình dục", "phân biệt đối xử"],
}
GENERAL_TERMS = ["Bộ luật Lao động", "người lao động"]
MAX_LEGAL_QUERIES = 5
# Records of what happened, never a basis an answer can cite: a half-year report that mentions
# "tiền lương" was the first basis suggested for a late-wages concern.
NOT_A_BASIS = {DocType.REPORT, DocType.MINUTES, DocType.INVITATION, DocType.SUBMISSION}


def legal_suggestions(*, viewer: Any, concern: Concern, limit: int = 3) -> list[Any]:
    """Up to `limit` library documents the viewer may see that may serve as the answer's
    legal basis, best first.

    Steps: 1. the topic's legal terms that the concern's words contain (folded, so "tra luong"
    finds "trả lương"), then the topic's other terms, then general ones; 2. each is searched
    through the library's own search (its scoping included) until `limit` documents are found.
    """
    if not _sees(viewer, concern):
        return []
    words = " ".join(fold(f"{concern.text} {concern.restored_text}").split())
    terms = LEGAL_TERMS.get(concern.topic, [])
    used = [t for t in terms if " ".join(fold(t).replace(",", " ").split()) in words]
    queries = used + [t for t in terms if t not in used] + GENERAL_TERMS
    found: dict[int, Any] = {}
    for query in queries[:MAX_LEGAL_QUERIES]:
        page = search_documents(viewer=viewer, query=query, per_page=limit * 4, with_total=False)
        for hit in page.hits:
            if hit.document.doc_type not in NOT_A_BASIS:
                found.setdefault(hit.document.pk, hit.document)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def member_concerns(*, viewer: Any) -> list[Concern]:
    """A logged-in person's own concerns (contact details are theirs: shown)."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    rows = list(
        Concern.objects.filter(submitted_by=viewer)
        .select_related("unit")
        .order_by("-created_at")[:200]
    )
    for concern in rows:
        concern.contact_visible = True  # type: ignore[attr-defined]
        concern.worker_status_label = worker_status_label(concern.status)  # type: ignore[attr-defined]
    return rows


# -- the worker with the tracking code -------------------------------------------------------------


def concern_for_worker(*, code: str) -> Concern | None:
    """The concern behind a tracking code (None if unknown); the caller shows status and answer only."""
    value = clean_code(code)
    if not value:
        return None
    return Concern.objects.select_related("unit", "assigned_unit").filter(code=value).first()


# What a worker reads of a status: "phân loại" (triaged) is the officers' own step, and a
# reopened concern waits for a new answer. The other statuses read the same for both.
WORKER_STATUS_LABELS = {
    Status.TRIAGED: gettext_lazy("Đã tiếp nhận, chờ xử lý"),
    Status.REOPENED: gettext_lazy("Đã mở lại, chờ trả lời"),
}


def worker_status_label(status: str) -> str:
    return str(WORKER_STATUS_LABELS.get(Status(status)) or Status(status).label)


def public_view(concern: Concern) -> dict[str, Any]:
    """What the worker with the code sees: no contact details, no internal notes, no assignee.

    The union's answer stays readable once sent: after the worker reopens the concern it is
    shown as the earlier answer (`answer_is_earlier`) until a new one comes.
    """
    sent = bool(concern.answer_text) and concern.answered_at is not None
    return {
        "code": concern.code,
        "status": concern.status,
        "status_label": worker_status_label(concern.status),
        "created_at": concern.created_at,
        "unit": concern.unit.name if concern.unit else "",
        # Where it went: the union, the level above (asked for, or about the union), or the
        # home unit when no union was named.
        "sent_to": concern.assigned_unit.name if concern.assigned_unit else "",
        "text": concern.text,
        "has_photo": bool(concern.photo),
        "topic": concern.get_topic_display() if concern.topic else "",
        "answer": concern.answer_text if sent else "",
        "answer_citation": concern.answer_citation if sent else "",
        "answer_url": concern.answer_url if sent else "",
        "answered_at": concern.answered_at,
        "answer_is_earlier": sent and concern.status not in (Status.ANSWERED, Status.CLOSED),
        # A sent answer that an officer corrected: the worker reads the latest and when.
        "answer_corrected_at": (
            concern.answers.filter(is_correction=True)
            .order_by("-version")
            .values_list("created_at", flat=True)
            .first()
            if sent
            else None
        ),
        "rating": concern.rating,
        "can_rate": concern.status in (Status.ANSWERED, Status.CLOSED),
        "can_reopen": concern.status in (Status.ANSWERED, Status.CLOSED),
        "has_contact": bool(
            concern.contact_name
            or concern.contact_phone
            or concern.contact_zalo_id
            or concern.submitted_by_id
        ),
    }


# -- unit picker (public) -----------------------------------------------------------------------------


def unit_choices_public(*, query: str = "", limit: int = 30) -> list[Unit]:
    """Active grassroots unions matching a name, enterprise name or code, with or without diacritics."""
    units = list(
        Unit.objects.filter(is_active=True, level__is_grassroots=True)
        .only("id", "code", "name", "employer_name", "short_name")
        .order_by("sort_key")
    )
    needle = " ".join(fold(query or "").split())
    if not needle:
        return units[:limit]
    words = needle.split()
    hits = []
    for unit in units:
        hay = fold(f"{unit.name} {unit.employer_name} {unit.short_name} {unit.code}")
        if all(w in hay for w in words):
            hits.append(unit)
    return hits[:limit]


def intake_unit(*, code: str = "", token: str = "") -> Unit | None:
    """The union a worker's concern is filed with, named by a unit code or a QR token: THE one
    rule of the public intake (web form, QR link, API, Zalo, SMS); None when it names none.

    Steps: 1. find the unit by its code (any letter case) or its QR token; 2. a merged union
    leads to its successor (`merged_into`, followed to the end), so a poster printed before
    the merger keeps working; 3. accept only an active grassroots union or this deployment's
    home unit: a worker cannot file a concern at the city or the national federation.
    """
    code, token = (code or "").strip()[:40], (token or "").strip()[:40]
    if not (code or token):
        return None
    units = Unit.objects.select_related("level", "merged_into")
    if token:
        unit = units.filter(qr_token=token).first() or units.filter(qr_token=token.lower()).first()
    else:
        unit = units.filter(code=code).first() or units.filter(code__iexact=code).first()
    unit = successor_of(unit)
    if unit is None or not unit.is_active:
        return None
    if unit.level.is_grassroots:
        return unit
    home = home_unit()
    return unit if home is not None and home.pk == unit.pk else None


def merged_union_of_token(*, token: str) -> Unit | None:
    """The union a printed QR token names when it has since merged into another (else None):
    the form then says why the concern goes to the successor."""
    token = (token or "").strip()[:40]
    if not token:
        return None
    unit = Unit.objects.filter(Q(qr_token=token) | Q(qr_token=token.lower())).first()
    return unit if unit is not None and not unit.is_active and unit.merged_into_id else None


# -- clusters, dashboard, summaries ---------------------------------------------------------------------


def cluster_list(*, viewer: Any, min_size: int = 2, limit: int = 100) -> list[dict[str, Any]]:
    """Clusters as the viewer sees them: sizes count only the concerns the viewer may see."""
    rows = (
        _base(viewer)
        .filter(cluster__isnull=False)
        .values("cluster_id", "cluster__title", "cluster__topic", "unit__name", "unit__code")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
        .filter(n__gte=min_size)
        .order_by("-n")[:limit]
    )
    topic_names = dict(Topic.choices)
    return [
        {
            "id": r["cluster_id"],
            "title": r["cluster__title"],
            "topic": topic_names.get(r["cluster__topic"], ""),
            "unit": r["unit__name"] or "",
            "unit_code": r["unit__code"] or "",
            "size": r["n"],
            "open": r["open"],
        }
        for r in rows
    ]


def cluster_detail(*, viewer: Any, cluster_id: int) -> Cluster:
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    if cluster is None or not _base(viewer).filter(cluster=cluster).exists():
        raise Http404
    return cluster


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _in_unit(qs: QuerySet[Concern], unit: Unit | None) -> QuerySet[Concern]:
    if unit is None:
        return qs
    return qs.filter(Q(unit__path__startswith=unit.path) | Q(assigned_unit=unit))


def feedback_period_summary(
    *, viewer: Any, unit: Unit | None = None, start: date, end: date
) -> dict[str, Any]:
    """Figures for a period (e.g. the month, for the six-month report), from live rows in the viewer's scope."""
    lo, hi = _period_bounds(start, end)
    qs = _in_unit(_base(viewer), unit).filter(created_at__gte=lo, created_at__lt=hi)
    total = qs.count()
    by_topic = Counter(
        dict(qs.values_list("topic").annotate(n=Count("id")).values_list("topic", "n"))
    )
    by_channel = Counter(
        dict(qs.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    )
    by_status = Counter(
        dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    )
    answered = qs.filter(answered_at__isnull=False)
    n_answered = answered.count()
    on_time = answered.filter(answered_on_time=True).count()
    # Unanswered concerns past their deadline are late answers too: they count against
    # the on-time share (else a period whose overdue concerns wait shows "100 %").
    overdue_open = qs.filter(
        status__in=OPEN_STATUSES, answered_at__isnull=True, due_at__lt=timezone.now()
    ).count()
    rated = qs.filter(rating__isnull=False)
    rating = rated.aggregate(avg=Avg("rating"))["avg"]
    n_rated = rated.count()
    satisfied = rated.filter(rating__gte=4).count()
    topic_names = dict(Topic.choices)
    channel_names = dict(Channel.choices)
    status_names = dict(Status.choices)
    return {
        "start": start,
        "end": end,
        "unit": unit.code if unit else "",
        "total": total,
        "urgent": qs.filter(urgency=Urgency.URGENT).count(),
        "anonymous": qs.filter(is_anonymous=True).count(),
        "by_topic": [
            {"topic": k, "label": str(topic_names.get(k, k or "—")), "n": v}
            for k, v in by_topic.most_common()
        ],
        "by_channel": [
            {"channel": k, "label": str(channel_names.get(k, k)), "n": v}
            for k, v in by_channel.most_common()
        ],
        "by_status": [
            {"status": k, "label": str(status_names.get(k, k)), "n": v}
            for k, v in by_status.most_common()
        ],
        "answered": n_answered,
        "answered_share": round(100 * n_answered / total, 1) if total else None,
        "answered_on_time": on_time,
        "overdue_unanswered": overdue_open,
        "on_time_share": round(100 * on_time / (n_answered + overdue_open), 1)
        if n_answered + overdue_open
        else None,
        "rated": n_rated,
        "avg_rating": round(float(rating), 2) if rating is not None else None,
        "satisfied_share": round(100 * satisfied / n_rated, 1) if n_rated else None,
        "clusters": [
            {"title": r["cluster__title"], "n": r["n"]}
            for r in qs.filter(cluster__isnull=False)
            .values("cluster__title")
            .annotate(n=Count("id"))
            .order_by("-n")[:5]
        ],
    }


def _with_change(row: dict[str, Any]) -> dict[str, Any]:
    row["change_abs"] = abs(int(row["change"]))
    return row


def topic_unit_month(*, viewer: Any, months: int = 6, unit: Unit | None = None) -> dict[str, Any]:
    """Counts by topic × unit × month over the last `months` months (the dashboard's table)."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    lo, _hi = _period_bounds(first, today)
    qs = _in_unit(_base(viewer), unit).filter(created_at__gte=lo)
    rows = (
        qs.annotate(month=TruncMonth("created_at"))
        .values("month", "topic", "unit__code", "unit__name")
        .annotate(n=Count("id"))
    )
    month_keys: list[str] = []
    d = first
    while d <= today:
        month_keys.append(d.strftime("%m/%Y"))
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    by_topic_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(month_keys, 0))
    by_unit_topic: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unit_names: dict[str, str] = {}
    for r in rows:
        month = r["month"]
        key = (
            timezone.localtime(month)
            if isinstance(month, datetime) and timezone.is_aware(month)
            else month
        ).strftime("%m/%Y")
        if key not in month_keys:
            continue
        by_topic_month[r["topic"] or ""][key] += r["n"]
        code = r["unit__code"] or ""
        unit_names[code] = r["unit__name"] or "—"
        by_unit_topic[(code, r["topic"] or "")][key] += r["n"]
    # Like with like: this month so far against the same first days of last month.
    prev_first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    prev_lo, _ = _period_bounds(prev_first, prev_first)
    days = min(today.day, (today.replace(day=1) - prev_first).days)
    same_days = Counter(
        dict(
            _in_unit(_base(viewer), unit)
            .filter(created_at__gte=prev_lo, created_at__lt=prev_lo + timedelta(days=days))
            .values_list("topic")
            .annotate(n=Count("id"))
            .values_list("topic", "n")
        )
    )
    topic_names = dict(Topic.choices)
    topic_rows = [
        {
            "topic": t,
            "label": str(topic_names.get(t, t or "—")),
            "counts": [counts[m] for m in month_keys],
            "total": sum(counts.values()),
            # This month so far against the same number of days of last month.
            "change": (counts[month_keys[-1]] - same_days.get(t, 0)) if len(month_keys) > 1 else 0,
        }
        for t, counts in sorted(by_topic_month.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    return {
        "months": month_keys,
        "compare_days": days,
        "topics": [_with_change(row) for row in topic_rows],
        "units": sorted(
            (
                {
                    "code": c,
                    "name": unit_names[c],
                    "topic": str(topic_names.get(t, t or "—")),
                    "counts": [counts.get(m, 0) for m in month_keys],
                    "total": sum(counts.values()),
                }
                for (c, t), counts in by_unit_topic.items()
            ),
            key=lambda r: -int(str(r["total"])),
        )[:40],
    }


def spikes(
    *,
    viewer: Any,
    now: datetime | None = None,
    window_days: int = 30,
    baseline_windows: int = 3,
    min_count: int = 5,
    factor: float = 2.5,
) -> list[dict[str, Any]]:
    """Topics growing unusually fast in a unit.

    A (unit, topic) raises an alert when the last `window_days` hold at least `min_count`
    concerns and more than `factor` × the average of the `baseline_windows` windows before
    (plus one, so that a topic new to a unit needs several concerns to alert).
    """
    now = now or timezone.now()
    recent_from = now - timedelta(days=window_days)
    base_from = recent_from - timedelta(days=window_days * baseline_windows)
    qs = _base(viewer).filter(created_at__gte=base_from, unit__isnull=False)
    recent = Counter(
        {
            (r["unit__code"], r["topic"]): r["n"]
            for r in qs.filter(created_at__gte=recent_from)
            .values("unit__code", "topic")
            .annotate(n=Count("id"))
        }
    )
    before = Counter(
        {
            (r["unit__code"], r["topic"]): r["n"]
            for r in qs.filter(created_at__lt=recent_from)
            .values("unit__code", "topic")
            .annotate(n=Count("id"))
        }
    )
    names = dict(Unit.objects.filter(code__in=[k[0] for k in recent]).values_list("code", "name"))
    topic_names = dict(Topic.choices)
    alerts = []
    for (code, topic), n in recent.items():
        baseline = before[(code, topic)] / baseline_windows
        if n >= min_count and n > factor * (baseline + 1):
            alerts.append(
                {
                    "unit_code": code,
                    "unit": names.get(code, code),
                    "topic": topic,
                    "topic_label": str(topic_names.get(topic, topic)),
                    "recent": n,
                    "baseline": round(baseline, 1),
                }
            )
    return sorted(alerts, key=lambda a: -int(a["recent"]))


# -- personal data ------------------------------------------------------------------------------------------


def contact_export(*, viewer: Any, phone: str) -> list[dict[str, Any]]:
    """Everything held about a contact (by phone), for the Office only (anonymous senders included)."""
    from congdoan.core.phones import normalize_phone

    scope = scope_for(viewer)
    if not (scope.is_admin or scope.office_paths):
        raise Http404
    number = normalize_phone(phone)
    if number is None:
        return []
    qs = _base(viewer).filter(contact_phone=number).filter(contact_visible_q(scope))
    rows = []
    for c in mask_contacts(viewer, qs.order_by("created_at")):
        rows.append(
            {
                "code": c.code,
                "created_at": c.created_at.isoformat(),
                "channel": c.channel,
                "unit": c.unit.code if c.unit else "",
                "text": c.text,
                "is_anonymous": c.is_anonymous,
                "contact_name": c.contact_name,
                "contact_phone": c.contact_phone,
                "contact_zalo_id": c.contact_zalo_id,
                "status": c.status,
                "topic": c.topic,
                "answer": c.answer_text,
                "rating": c.rating,
                "photo": c.photo.name if c.photo else "",
            }
        )
    return rows


# -- the officer's work for today (home page) -----------------------------------------------------


@dataclass
class WorkCount:
    """One count of the officer's home page and the inbox page that lists the same rows."""

    key: str
    count: int
    query: str  # the inbox's query string for exactly these rows


# key → the inbox filters whose rows the count counts (one definition for both pages).
TODAY_FILTERS: dict[str, dict[str, str]] = {
    "urgent": {"status": "open", "urgency": Urgency.URGENT.value, "sort": "due"},
    "overdue": {"status": "open", "overdue": "1", "sort": "due"},
    "new": {"status": "new", "sort": "urgent"},
    "open": {"status": "open", "sort": "urgent"},
}


# A message that went out as it should (a receipt, an answer, a reminder, an alert, one line per
# officer mailed) is on the concern's history, not among "what changed": fifty such lines hid
# the three answers given by others. Failures stay listed.
DELIVERED_KINDS = [
    "channel.answer_sent",
    "channel.receipt_sent",
    "remind",
    "alert_sent",
    "escalation_sent",
]


def officer_today(*, viewer: Any, since: datetime, top: int = 5) -> dict[str, Any]:
    """What an officer has to do today in their scope.

    Steps: (1) the counts of urgent, overdue, new (not yet taken) and open concerns, each
    through the inbox's own filters (so the home page and the inbox agree); (2) the most
    urgent open concerns, masked; (3) what changed since ``since`` (events on concerns in
    scope by others, and concerns received); (4) for an officer over several units, the
    units with overdue concerns, most overdue first.
    """
    scope = scope_for(viewer)
    visible = Concern.objects.filter(visible_q(scope))
    # One scan for every count: each is the inbox's own condition (filters_q); every
    # counted row is open or new since the last visit, which the indexes find.
    figures = visible.filter(Q(status__in=OPEN_STATUSES) | Q(created_at__gt=since)).aggregate(
        **{
            key: Count("pk", filter=filters_q(InboxFilters.from_query(query)))
            for key, query in TODAY_FILTERS.items()
        },
        received_since=Count("pk", filter=Q(created_at__gt=since)),
    )
    counts = [WorkCount(key, figures[key], urlencode(q)) for key, q in TODAY_FILTERS.items()]
    # The top rows: their keys by a narrow query, then the rows with what the page shows.
    first = InboxFilters.from_query(TODAY_FILTERS["open"])
    keys = list(
        visible.filter(filters_q(first))
        .order_by(*_ordering(first))
        .values_list("pk", flat=True)[:top]
    )
    found = {c.pk: c for c in _base(viewer).filter(pk__in=keys)}
    top_rows = mask_contacts(viewer, [found[k] for k in keys if k in found])
    events = (
        ConcernEvent.objects.filter(concern__in=visible.values("pk"), created_at__gt=since)
        .exclude(actor_id=scope.user_id)
        .exclude(kind__in=DELIVERED_KINDS)
    )
    changed = list(
        events.select_related("concern", "actor").order_by("-created_at", "-id")[: top * 2]
    )
    overdue_units: list[Any] = []
    if scope.is_admin or Unit.objects.filter(parent_id__in=scope.unit_ids).exists():
        overdue_units = list(
            visible.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
            .exclude(assigned_unit=None)
            .values("assigned_unit__code", "assigned_unit__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "assigned_unit__name")[:10]
        )
    return {
        "counts": {c.key: c for c in counts},
        "top": top_rows,
        "changed": changed,
        "changed_count": events.count(),
        "received_since": figures["received_since"],
        "overdue_units": overdue_units,
        "since": since,
    }
