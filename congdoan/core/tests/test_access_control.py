"""Every route in the URL conf, tried by people who must not see unit B's private data.

The tests walk the whole URL conf (apps' pages, the ninja API under /api/v1, the admin),
so a route added later is covered without touching this file. Path parameters are filled
with values that belong to unit B (its code, its concern's code, its document's id…) or,
for a parameter name nobody taught this file, a value that exists nowhere.

For `officer_a` (grassroots officer of A), a `member` of A and an anonymous visitor:
- a route with parameters must answer 302 to a login page, 401, 403, 404 or 405;
- a route without parameters may answer the visitor's own page (200), but never one
  that shows B's private data; an anonymous visitor must be sent to log in;
- the few public routes in `PUBLIC_ROUTES` may answer anything but an error, and must not
  show B's private data either.

When a new route takes a parameter whose name means something else in your app, add a
line to `VALUE_RULES` (route prefix, parameter name → value of unit B).

A second walk (`test_no_get_form_answers_a_server_error`), for every role, follows the
pages' links and submits each GET form it meets (search boxes with words typed with and
without diacritics, every drop-down option, pagination links): no answer may be a 5xx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db

# Routes anyone may open by design. Kept small: each line says why.
PUBLIC_ROUTES = {
    "web:home",  # the home page
    "web:healthz",  # load balancers' probe
    "accounts:login",  # the login form
    "accounts:otp",  # second step of the login (redirects without a pending login)
    "accounts:logout",  # POST only; logs out whoever asks
    "accounts:password_reset",  # a reset link by e-mail: same answer whether the address exists
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",  # the link's page: the signed token decides
    "accounts:password_reset_complete",
    "accounts:sms_reset",  # a reset code by SMS, for members who log in by phone
    "accounts:sms_reset_verify",
    "set_language",  # Django's language switch
    "language",  # the header's language link (core/language.py): a cookie and a redirect
    "api:openapi-json",  # the API's description (no data)
    "api:openapi-view",  # the API's docs page
    "api:api-root",
    "feedback:index",  # workers send concerns without an account…
    "feedback:submit",
    "feedback:submit_qr",  # …also from a unit's QR code, which names the unit
    "feedback:track_lookup",
    "api:submit",
    "feedback_channels:zalo_webhook",  # providers' webhooks, checked by signature
    "feedback_channels:sms_webhook",
    "orgs:public_detail",  # a grassroots union's public page (name, workplace; no people)
    "library:public_list",  # documents a unit chose to publish
    "library:public_detail",
    "library:public_download",
    "library:feed_rss",
    "library:feed_atom",
    "content_public:news_list",  # the public site of products: what content.selectors…
    "content_public:unit_news",  # …public_products shows (published, shared with the public)
    "content_public:product",
    "content_public:product_photo",
    "content_public:theme",
    "content_public:theme_rss",
    "content_public:unit_rss",
    "content_public:rss",
    "content_public:atom",
    "content_public:sitemap",
    "content_outputs:podcast",  # a unit's audio bulletins: its public products only
    "content_outputs:public_audio",  # …and their files, for podcast apps
    "bulletin:index",  # the e-bulletin's digests, and its subscribe form (double opt-in)
    "bulletin:week",
    "bulletin:subscribe",
    "bulletin:open",  # a digest mail's open pixel: the same GIF for any token, tells nothing
    "legal:ask",  # workers ask about the law without an account (their questions are anonymous)
    "legal:helpful",  # POST with the keyed token of the question the page gave
    "legal:to_concern",  # the same, then the concern form prefilled
    "legal:laws",  # laws, articles and published curated answers are public
    "legal:law",
    "legal:article",
    "legal:answer",  # a draft answer is a 404 unless the viewer may edit it
    "api:legal_ask",
    "api:legal_article",
    "contests:index",  # open contests: phone contests are for anyone; a draft is no one's
    "contests:contest",  # a published contest's page (rules, rounds); a draft is a 404
    "contests:join",  # joining by login or by an SMS code (rate-limited)
    "contests:start",  # POST; refused unless the session's participant may take the round
    "surveys:index",  # the surveys open to the viewer (public ones for anyone)
    "surveys:take",  # a public survey for anyone; a members' survey shows nothing outside
    "surveys:thanks",
    "admin:login",  # the admin's own login form
    "admin:logout",  # logs out whoever asks, then sends them to the admin's login
}

# Capability routes: the tracking code is the worker's secret; whoever holds it may see
# that one concern. They must still not show anything else of B (members, documents).
CAPABILITY_ROUTES = {
    "feedback:track",
    "feedback:track_rate",
    "feedback:track_reopen",
    "feedback:track_erase",
    "api:track",
    # The e-bulletin's mailed links and an officer's calendar feed: a signed or secret token.
    "bulletin:confirm",
    "bulletin:unsubscribe",
    "bulletin:click",
    "bulletin:redirect",  # a digest mail's links (its random token)
    "bulletin:calendar_ics",
    # A contest's certificate: its printed QR code's random code shows name, contest, prize.
    "contests:certificate_verify",
}

LOGIN_PREFIXES = ("/tai-khoan/dang-nhap/", "/quan-tri/login/")
DENIED = {401, 403, 404, 405}
UNKNOWN = 987654321  # an id that exists nowhere


@dataclass
class UnitB:
    """Unit B's private things, and the texts that would show them on a page."""

    values: dict[str, Any]
    markers: list[str]
    concern_markers: list[str]


def _make(label: str, **fields: Any) -> Any:
    """Create a row of another app's model, or None when that app is not installed."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return model.objects.create(**fields)


@pytest.fixture
def unit_b(cast: Any, settings: Any, tmp_path: Any) -> UnitB:
    settings.MEDIA_ROOT = str(tmp_path)
    b = cast.unit_b
    # Explicit, large ids: an id of B's that is no one else's id in any table.
    secret = _make(
        "orgs.Member",
        pk=900001,
        unit=b,
        full_name="Hoàng Thị Bảo Mật",
        card_number="B-BIMAT-01",
        phone="+84987654321",
    )
    token = _make(
        "accounts.ApiToken",
        pk=900002,
        user=cast.officer_b,
        name="Mã của B",
        key_hash="b" * 64,
        prefix="bbbbbbbb",
    )
    concern = _make(
        "feedback.Concern",
        pk=900003,
        unit=b,
        text="Ý kiến riêng của đơn vị B: nợ lương tháng mười",
        is_anonymous=False,
        contact_name="Người gửi Kín Đáo",
        contact_phone="+84987111222",
    )
    cluster = _make("feedback.Cluster", pk=900004, unit=b, title="Nhóm ý kiến riêng của B")
    blob = _make(
        "library.Blob",
        pk=900005,
        sha256="b" * 64,
        file="b.pdf",
        size=1,
        content_type="application/pdf",
    )
    document = None
    if blob is not None:
        document = _make(
            "library.Document",
            pk=900006,
            unit=b,
            blob=blob,
            original_name="ke-hoach-noi-bo-B.pdf",
            source_kind="pdf",
            visibility="unit",
            title="Kế hoạch nội bộ của đơn vị B",
        )
    # A product B published for its own members only: not on the public site, not to A.
    product = _make(
        "content.Product",
        pk=900007,
        unit=b,
        title="Tin nội bộ riêng của đơn vị B",
        slug="tin-noi-bo-b",
        summary="Bản ngắn nội bộ của B",
        status="published",
        sharing="unit",
        published_at=timezone.now(),
    )
    # Unit B's activities, good example, training and press (congdoan/activities).
    activity = _make(
        "activities.Activity",
        pk=900101,
        unit=b,
        kind="conference",
        title="Hội nghị riêng của đơn vị B",
        held_on=timezone.localdate(),
    )
    example = _make(
        "activities.GoodExample",
        pk=900102,
        unit=b,
        kind="model",
        title="Mô hình riêng của đơn vị B",
        submitted_on=timezone.localdate(),
        holder=b.parent,
    )
    course = _make(
        "activities.Course", pk=900103, unit=b, title="Lớp tập huấn riêng của B", topic="press"
    )
    session = None
    training_row = None
    if course is not None:
        session = _make(
            "activities.TrainingSession",
            pk=900104,
            course=course,
            unit=b,
            held_on=timezone.localdate(),
        )
        training_row = _make(
            "activities.TrainingAttendance", pk=900105, session=session, member=secret
        )
    press = _make(
        "activities.PressItem",
        pk=900106,
        unit=b,
        kind="coverage",
        outlet="Báo riêng",
        title="Bài báo riêng về đơn vị B",
        happened_on=timezone.localdate(),
    )
    report = _make(
        "reports.Report",
        pk=900011,
        unit=b,
        period_code="2026H1",
        kind="half",
        results="Kết quả riêng trong báo cáo của đơn vị B",
    )
    channel = _make(
        "activities.Channel", pk=900107, unit=b, kind="fanpage", url="https://fb.com/rieng-cua-b"
    )
    # Unit B's contest (a draft), an attempt of B's member, and B's members-only survey.
    contest = _make(
        "contests.Contest",
        pk=900201,
        unit=b,
        title="Cuộc thi riêng của đơn vị B",
        slug="cuoc-thi-rieng-cua-b",
        description="Thể lệ riêng của B",
    )
    attempt = None
    if contest is not None:
        round_ = _make(
            "contests.Round",
            pk=900202,
            contest=contest,
            number=1,
            title="Vòng riêng của B",
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=1),
        )
        question = _make(
            "contests.Question", pk=900203, contest=contest, text="Câu hỏi riêng của B?"
        )
        participant = _make(
            "contests.Participant",
            pk=900204,
            contest=contest,
            member=secret,
            full_name=secret.full_name,
            unit=b,
        )
        attempt = _make(
            "contests.Attempt",
            pk=900205,
            round=round_,
            participant=participant,
            question_ids=[question.pk],
            deadline_at=timezone.now() + timedelta(hours=1),
        )
    survey = _make(
        "surveys.Survey",
        pk=900301,
        unit=b,
        title="Khảo sát riêng của đơn vị B",
        audience="members",
        is_anonymous=False,
        status="open",
    )
    survey_question = None
    if survey is not None:
        survey_question = _make(
            "surveys.Question", pk=900302, survey=survey, kind="text", text="Câu hỏi khảo sát của B"
        )
    # Unit B's monitoring: a source, a narrative and its item, a known false claim, a tip.
    mon_source = _make(
        "monitoring.Source", pk=900401, unit=b, name="Nguồn theo dõi riêng của B", kind="file"
    )
    narrative = mon_item = None
    if mon_source is not None:
        narrative = _make(
            "monitoring.Narrative",
            pk=900402,
            unit=b,
            title="Luồng tin riêng của đơn vị B",
            first_seen_at=timezone.now(),
            last_seen_at=timezone.now(),
        )
        mon_item = _make(
            "monitoring.Item",
            pk=900403,
            source=mon_source,
            external_id="b-1",
            content_hash="b" * 40,
            text="Bài đăng riêng thu thập cho đơn vị B",
            narrative=narrative,
        )
    known_claim = _make(
        "monitoring.KnownClaim", pk=900404, unit=b, claim="Thông tin sai riêng của đơn vị B"
    )
    tip = _make("monitoring.Tip", pk=900405, unit=b, text="Tin báo riêng gửi đơn vị B")
    values: dict[str, Any] = {
        "contest": contest.pk if contest else UNKNOWN,
        "contest_slug": contest.slug if contest else "khongcogi",
        "attempt_token": attempt.token if attempt else "khongcogi",
        "survey": survey.pk if survey else UNKNOWN,
        "survey_key": survey.key if survey else "khongcogi",
        "survey_question": survey_question.pk if survey_question else UNKNOWN,
        "channel": channel.pk if channel else UNKNOWN,
        "activity": activity.pk if activity else UNKNOWN,
        "example": example.pk if example else UNKNOWN,
        "course": course.pk if course else UNKNOWN,
        "session": session.pk if session else UNKNOWN,
        "training_row": training_row.pk if training_row else UNKNOWN,
        "press": press.pk if press else UNKNOWN,
        "unit_code": b.code,
        "product_slug": product.slug if product else "khongcogi",
        "qr_token": b.qr_token,
        "member": secret.pk,
        "token": token.pk,
        "concern_code": concern.code if concern else "KHONGCO",
        "cluster": cluster.pk if cluster else UNKNOWN,
        "document": document.pk if document else UNKNOWN,
        "narrative": narrative.pk if narrative else UNKNOWN,
        "monitoring_item": mon_item.pk if mon_item else UNKNOWN,
        "monitoring_source": mon_source.pk if mon_source else UNKNOWN,
        "known_claim": known_claim.pk if known_claim else UNKNOWN,
    }
    markers = [
        cast.member_b.full_name,
        secret.full_name,
        secret.card_number,
        "0987654321",
        "+84987654321",
        cast.officer_b.full_name,
        "Mã của B",
    ]
    if document is not None:
        markers += [document.original_name, document.title]
    if product is not None:
        markers += [product.title, product.summary]
    if report is not None:
        markers.append(report.results)
    markers += [x.title for x in (activity, example, course, press) if x is not None]
    if channel is not None:
        markers.append(channel.url)
    if contest is not None:
        markers += [contest.title, contest.description, "Câu hỏi riêng của B?"]
    if survey is not None:
        markers += [survey.title, "Câu hỏi khảo sát của B"]
    if mon_source is not None:
        markers += [mon_source.name, "Luồng tin riêng của đơn vị B", "Bài đăng riêng thu thập"]
    if known_claim is not None:
        markers.append(known_claim.claim)
    if tip is not None:
        markers.append(tip.text)
    concern_markers = []
    if concern is not None:
        concern_markers = [concern.text, concern.contact_name, "0987111222"]
    if cluster is not None:
        concern_markers.append(cluster.title)
    return UnitB(values=values, markers=markers, concern_markers=concern_markers)


# (route prefix, parameter name) → key in UnitB.values; the first matching line wins.
VALUE_RULES: list[tuple[str, str, str]] = [
    ("cuoc-thi/", "pk", "contest"),
    ("cuoc-thi/", "slug", "contest_slug"),
    ("cuoc-thi/", "token", "attempt_token"),
    ("api/v1/contests/", "token", "attempt_token"),
    ("khao-sat/", "survey_id", "survey"),
    ("khao-sat/", "key", "survey_key"),
    ("khao-sat/", "question_id", "survey_question"),
    ("api/v1/surveys/", "survey_id", "survey"),
    ("y-kien/", "code", "concern_code"),
    ("api/v1/feedback/", "code", "concern_code"),
    ("y-kien/nhom/", "pk", "cluster"),
    ("tai-lieu/", "pk", "document"),
    ("tai-khoan/ma-api/", "pk", "token"),
    ("", "document_id", "document"),
    ("tin/", "slug", "product_slug"),
    ("", "code", "unit_code"),
    ("", "unit_code", "unit_code"),
    ("", "qr_token", "qr_token"),
    ("", "member_id", "member"),
    ("", "app_label", "=orgs"),  # the admin's app index
    ("bao-cao-dinh-ky/", "period", "=2026H1"),  # a period that exists
    ("hoat-dong/", "activity_id", "activity"),
    ("hoat-dong/", "example_id", "example"),
    ("hoat-dong/", "action", "=chuyen"),
    ("hoat-dong/", "course_id", "course"),
    ("hoat-dong/", "session_id", "session"),
    ("hoat-dong/", "row_id", "training_row"),
    ("hoat-dong/", "press_id", "press"),
    ("hoat-dong/", "channel_id", "channel"),
    ("theo-doi/luong/", "pk", "narrative"),
    ("theo-doi/tin/", "pk", "monitoring_item"),
    ("theo-doi/nguon/", "pk", "monitoring_source"),
    ("theo-doi/thong-tin-sai/", "pk", "known_claim"),
]


def _value(route: str, name: str, converter: str | None, b: UnitB) -> str:
    value: Any = None
    for prefix, param, key in VALUE_RULES:
        if param == name and route.startswith(prefix):
            value = key[1:] if key.startswith("=") else b.values[key]
            break
    if converter == "int":
        return str(value) if isinstance(value, int) else str(UNKNOWN)
    if converter == "uuid":
        return "00000000-0000-0000-0000-000000000000"
    return str(value) if value is not None else "khongcogi"


@dataclass
class Route:
    route: str  # the pattern as written, e.g. "don-vi/<slug:code>/"
    name: str  # "namespace:name", or the route when unnamed
    has_params: bool
    regex: bool


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", regex: bool = False
) -> Iterator[Route]:
    for p in patterns:
        is_regex = regex or not isinstance(p.pattern, RoutePattern)
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns, is_regex)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            has_params = bool(re.search(r"<[^>]+>|\(\?P<", route))
            yield Route(route, f"{namespace}{p.name}" if p.name else route, has_params, is_regex)


def build_url(route: Route, b: UnitB) -> str:
    text = route.route
    text = re.sub(
        r"\(\?P<(\w+)>[^)]*\)\??", lambda m: _value(route.route, m.group(1), None, b), text
    )
    text = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: _value(route.route, m.group(2), m.group(1), b), text
    )
    text = text.replace("^", "").replace("$", "").replace("/?", "/").replace("\\", "")
    return "/" + text


ALL_ROUTES = list(walk(get_resolver().url_patterns))


def test_the_walk_finds_the_routes_of_every_app():
    names = {r.name for r in ALL_ROUTES}
    assert {
        "web:home",
        "orgs:detail",
        "orgs:import_upload",
        "accounts:api_tokens",
        "api:list_members",
    } <= names
    assert any(r.route.startswith("api/v1/units/") and r.has_params for r in ALL_ROUTES)
    assert any(r.route.startswith("quan-tri/") for r in ALL_ROUTES)
    assert not PUBLIC_ROUTES & CAPABILITY_ROUTES


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PREFIXES)


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    return client


def _check(route: Route, response: Any, anonymous: bool, b: UnitB) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", errors="replace")
    markers = (
        list(b.markers) if route.name in CAPABILITY_ROUTES else [*b.markers, *b.concern_markers]
    )
    # JSON answers may escape non-ASCII letters ("B\u1ea3o"): look for both spellings.
    leaked = [m for m in markers if m and (m in text or json.dumps(m)[1:-1] in text)]
    if leaked:
        return f"{status} shows B's private data: {leaked}"
    if route.name in PUBLIC_ROUTES or route.name in CAPABILITY_ROUTES:
        return None
    if _is_login_redirect(response) or status in DENIED:
        return None
    if route.has_params:
        return f"{status} (expected a login redirect, 401, 403, 404 or 405)"
    if anonymous:
        return f"{status} for an anonymous visitor (expected a login redirect, 401 or 403)"
    return None


@pytest.mark.parametrize("who", ["officer_a", "member", "anonymous"])
def test_no_route_shows_unit_b_to_people_outside_it(who, cast, unit_b):
    user = {"officer_a": cast.officer_a, "member": cast.member_user, "anonymous": None}[who]
    client = _client(user)
    problems: list[str] = []
    checked = 0
    for route in ALL_ROUTES:
        url = build_url(route, unit_b)
        try:
            match = resolve(url.split("?")[0])
        except Exception:
            problems.append(
                f"{route.name}: built {url!r}, which does not resolve; add a VALUE_RULES line"
            )
            continue
        if (
            match.route != route.route.lstrip("^")
            and (match.view_name or match.route) != route.name
        ):
            problems.append(
                f"{route.name}: built {url!r}, which resolves to {match.view_name or match.route}"
            )
            continue
        # The admin is one guard (AdminSite.admin_view) in front of ~150 routes: GET is enough there.
        methods: list[Callable[..., Any]] = (
            [client.get] if route.route.startswith("quan-tri/") else [client.get, client.post]
        )
        for method in methods:
            response = method(url)
            checked += 1
            problem = _check(route, response, user is None, unit_b)
            if problem:
                problems.append(f"{method.__name__.upper()} {url} ({route.name}): {problem}")
            if (
                user is not None and "_auth_user_id" not in client.session
            ):  # the route logged us out
                client = _client(user)
    assert checked > 200
    assert not problems, "\n".join(problems)


# --- Forms: every GET form a person can reach, submitted with ordinary values -------------
#
# A crash behind a search box or a filter hides from the walk above, which sends no query
# strings. This walk starts from the routes without parameters, follows the links of each
# page (depth 2, same site), and submits every GET form it meets: each text box with
# ordinary words typed with and without diacritics, each drop-down with its options, date
# and number boxes with plausible values; then follows the answers' pagination links.
# Any 5xx fails, for every role.

SEARCH_WORDS = ["Phú Minh", "phu minh", "nguyen thi", "Nguyễn Thị", "lương", "2025", ""]
OPTIONS_PER_SELECT = 6
MAX_PAGES = 380  # the site grows (content, publishing, the e-bulletin): room to reach every app
PAGES_PER_SHAPE = 3
MAX_SUBMISSIONS = 1100
SKIP_PREFIXES = ("/static/", "/media/", "/tai-khoan/dang-xuat/", "/i18n/")


@dataclass
class Form:
    action: str
    fields: list[
        dict[str, Any]
    ]  # {"kind": "text"|"select"|"fixed"|..., "name", "value", "options"}


class _PageParser(HTMLParser):
    """Links and GET forms of a page (just what a browser would submit)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").lower()
            self._form = Form(a.get("action", ""), []) if method == "get" else None
        elif self._form is None or not a.get("name") or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                self._form.fields.append(
                    {
                        "kind": kind,
                        "name": a["name"],
                        "value": a.get("value", "on"),
                        "checked": "checked" in a,
                    }
                )
            elif kind in {"text", "search", "tel", "email", "url"}:
                self._form.fields.append(
                    {"kind": "text", "name": a["name"], "value": a.get("value", "")}
                )
            elif kind in {"date", "month", "number", "week"}:
                self._form.fields.append(
                    {"kind": kind, "name": a["name"], "value": a.get("value", "")}
                )
            else:  # hidden and the rest: sent as they are
                self._form.fields.append(
                    {"kind": "fixed", "name": a["name"], "value": a.get("value", "")}
                )
        elif tag == "select":
            self._select = {"kind": "select", "name": a["name"], "value": None, "options": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea":
            self._form.fields.append({"kind": "text", "name": a["name"], "value": ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _defaults(form: Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for f in form.fields:
        if f["kind"] in {"checkbox", "radio"}:
            if f["checked"]:
                data.setdefault(f["name"], []).append(f["value"])
        elif f["kind"] == "select":
            value = (
                f["value"] if f["value"] is not None else (f["options"][0] if f["options"] else "")
            )
            data.setdefault(f["name"], []).append(value)
        else:
            data.setdefault(f["name"], []).append(f["value"])
    return data


_PLAUSIBLE = {"date": "2025-10-15", "month": "2025-10", "week": "2025-W42", "number": "2"}


def _submissions(form: Form) -> Iterator[dict[str, list[str]]]:
    """The form as it stands, then each text box with each word, each option, each box checked."""
    base = _defaults(form)
    yield base
    texts = [f for f in form.fields if f["kind"] == "text"]
    for word in SEARCH_WORDS:
        if texts:
            yield {**base, **{f["name"]: [word] for f in texts}}
    for f in form.fields:
        if f["kind"] == "select":
            for option in f["options"][:OPTIONS_PER_SELECT]:
                data = {**base, f["name"]: [option]}
                if texts:
                    data[texts[0]["name"]] = [SEARCH_WORDS[1]]
                yield data
        elif f["kind"] in _PLAUSIBLE:
            yield {**base, f["name"]: [_PLAUSIBLE[f["kind"]]]}
        elif f["kind"] in {"checkbox", "radio"} and not f["checked"]:
            yield {**base, f["name"]: [f["value"]]}


def _local(href: str, page: str) -> str | None:
    """The same-site path (with query) a link points to, or None."""
    url = urljoin("http://testserver" + page, href)
    parts = urlsplit(url)
    if parts.netloc != "testserver" or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _html(response: Any) -> str | None:
    if getattr(response, "streaming", False) or response.status_code != 200:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", errors="replace")


@pytest.fixture
def searchable(cast: Any) -> None:
    """Things for the searches to find, so result pages render rows and not just "none"."""
    factories.unit(
        cast.district,
        code="PX-PM",
        name="Công đoàn Công ty May Phú Minh",
        employer_name="Công ty May Phú Minh",
    )
    for name in ("Nguyễn Thị Hoa", "Nguyễn Thị Hồng", "Lê Văn Dũng"):
        factories.member(cast.unit_a, full_name=name)
    # More than a page of members, so that the member list has pagination links to follow.
    for n in range(60):
        factories.member(cast.unit_a, full_name=f"Nguyễn Thị Mẫu {n}")


@pytest.mark.parametrize("who", ["admin", "district_officer", "officer_a", "member", "anonymous"])
def test_no_get_form_answers_a_server_error(who, cast, searchable):
    user = {
        "admin": cast.admin,
        "district_officer": cast.district_officer,
        "officer_a": cast.officer_a,
        "member": cast.member_user,
        "anonymous": None,
    }[who]
    client = _client(user)
    problems: list[str] = []
    pages: list[tuple[str, int]] = [
        ("/" + r.route.lstrip("^"), 0) for r in ALL_ROUTES if not r.has_params and not r.regex
    ]
    seen_pages: set[str] = {p for p, _ in pages}
    submitted: set[str] = set()
    shapes: dict[str, int] = {}

    def get(url: str, origin: str) -> Any:
        nonlocal client
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} (from {origin}): server error {response.status_code}")
        if user is not None and "_auth_user_id" not in client.session:
            client = _client(user)
        return response

    while pages and len(seen_pages) <= MAX_PAGES:
        page, depth = pages.pop(0)
        html = _html(get(page, "the walk"))
        if html is None:
            continue
        parser = _PageParser()
        parser.feed(html)
        for form in parser.forms:
            action = _local(form.action or page, page)
            if action is None:
                continue
            action = action.split("?")[0]
            for data in _submissions(form):
                url = f"{action}?{urlencode(data, doseq=True)}"
                if url in submitted or len(submitted) >= MAX_SUBMISSIONS:
                    continue
                submitted.add(url)
                answer = _html(get(url, f"a form on {page}"))
                if answer is None:
                    continue
                results = _PageParser()
                results.feed(answer)
                for href in results.links:  # pagination of the results
                    target = _local(href, url)
                    if target and "page=" in target and target not in submitted:
                        submitted.add(target)
                        get(target, f"the results of {url}")
        if depth < 2:
            for href in parser.links:
                target = _local(href, page)
                if not target or target.split("?")[0] in seen_pages:
                    continue
                # A few pages of each kind (/…/doan-vien/<id>/), not every member's page.
                shape = re.sub(r"\d+", "0", target.split("?")[0])
                shapes[shape] = shapes.get(shape, 0) + 1
                if shapes[shape] <= PAGES_PER_SHAPE:
                    seen_pages.add(target.split("?")[0])
                    pages.append((target, depth + 1))
    if who in {"admin", "district_officer", "officer_a"}:
        assert any(u.startswith("/don-vi/?q=phu+minh") for u in submitted), (
            "the tree search was not submitted"
        )
        assert any(u.startswith("/don-vi/PX-A/?") for u in submitted), (
            "unit A's member search was not submitted"
        )
        assert any(u.startswith("/don-vi/PX-A/?page=2") for u in submitted), (
            "the member list's pages were not followed"
        )
    assert submitted
    assert not problems, "\n".join(problems)
