"""The worker's pages: send a concern (the web form, the QR link), follow it by its tracking code,
rate the answer or reopen it, erase one's contact; a member's own concerns.

No login needed except for `mine`. The union a concern goes to is `rules.intake_union`; what a
worker reads of it is `selectors.public_view` (no contact, no internal note, no assignee).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core import page_cache
from congdoan.core.middleware import accepts_control_characters
from congdoan.core.request_context import client_ip
from congdoan.feedback import rules, selectors, services
from congdoan.feedback.forms import RateForm, ReopenForm, SubmitForm, add_errors, worker_input
from congdoan.feedback.models import Channel, Concern
from congdoan.feedback.views.params import param

# -- send ----------------------------------------------------------------------------------------

#: The GET parameter that fills the concern's text box (the legal page's "Gửi câu hỏi cho Công
#: đoàn" links here with the worker's question).
PREFILL_PARAM = "noi_dung"
PREFILL_MAX_CHARS = 5000  # the text box's own limit


def _prefill_text(request: HttpRequest) -> str:
    """The text to put in the box from ?noi_dung= (control characters out, cut to the box)."""
    raw = request.GET.get(PREFILL_PARAM, "")
    text = "".join(ch for ch in raw if ch in "\n\t" or ch.isprintable())
    return text.strip()[:PREFILL_MAX_CHARS]


@accepts_control_characters  # worker_input() keeps the words (forms.py)
def submit(request: HttpRequest, qr_token: str = "") -> HttpResponse:
    """The worker's page: pick (or be given by QR) the union, write, send; no JavaScript needed.
    The empty form (no search, nothing chosen) is kept for anonymous visitors with a slot for
    the CSRF token, which each visitor gets their own of (core.page_cache)."""
    blank = not qr_token and request.method in ("GET", "HEAD") and not request.GET
    if blank:
        kept = page_cache.lookup(request, with_csrf=True)
        if kept is not None:
            return kept.response
    named = rules.intake_union(token=qr_token) if qr_token else None
    if qr_token and named is None:
        raise Http404
    locked_unit = named.unit if named is not None else None
    member_unit = selectors.member_union(request.user)
    query = request.GET.get("q", "").strip()[:100]
    status = 200
    if request.method == "POST":
        post = worker_input(request.POST)
        form = SubmitForm(post, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            unit = (
                locked_unit
                or rules.intake_unit(code=data["unit"] or post.get("unit_pick", ""))
                or member_unit
            )
            phone_or_zalo = data["contact_phone"].strip()
            contact_name = data["contact_name"]
            as_member = rules.files_as_member(request.user)
            if as_member and not data["is_anonymous"] and not (contact_name or phone_or_zalo):
                # A logged-in member who sends under their name: the union may answer them.
                contact_name = getattr(request.user, "full_name", "") or request.user.get_username()
                phone_or_zalo = getattr(request.user, "phone", "") or ""
            try:
                concern = services.concern_submit(
                    text=data["text"],
                    unit=unit,
                    channel=Channel.MEMBER if as_member else Channel.WEB,
                    is_anonymous=data["is_anonymous"],
                    contact_name=contact_name,
                    contact_phone=phone_or_zalo,
                    photo=data["photo"],
                    wants_upper_level=data["wants_upper_level"],
                    actor=request.user if request.user.is_authenticated else None,
                    ip=client_ip(request),
                    same_as=str(request.session.get("feedback_last_code", "")),
                )
            except services.Throttled as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
                status = 422
            else:
                request.session["feedback_last_code"] = concern.code
                track = reverse("feedback:track", args=[concern.code])
                return redirect(track + "?" + urlencode({"new": 1}))
        else:
            status = 422
        chosen_code = post.get("unit_pick") or post.get("unit", "")
    else:
        # ?noi_dung=: a question the worker asked on the legal page ("Hỏi đáp pháp luật"),
        # put in the text box for them to read, change and send (nothing is sent from a link).
        prefill = _prefill_text(request)
        form = SubmitForm(initial={"is_anonymous": True, **({"text": prefill} if prefill else {})})
        chosen_code = request.GET.get("unit", "")
    chosen = locked_unit or rules.intake_unit(code=chosen_code) or member_unit
    matches = selectors.unit_choices_public(query=query) if query else []
    if len(matches) == 1 and chosen is None and request.method != "POST":
        chosen = matches[0]  # the worker searched and found their company: it is the one
    # Without a search, a plain <select> of the unions (a district has a few dozen), drawn
    # once while the units stay the same (selectors.unit_options_public).
    unit_options, chosen_listed = (
        ("", False)
        if (query or locked_unit)
        else selectors.unit_options_public(chosen_code=chosen.code if chosen else "")
    )
    response = render(
        request,
        "feedback/submit.html",
        {
            **(page_cache.csrf_slot(request) if blank and status == 200 else {}),
            "form": form,
            "locked_unit": locked_unit,
            "chosen": chosen,
            "query": query,
            "matches": matches,
            "qr_token": qr_token,
            "unit_options": unit_options,
            "chosen_listed": chosen_listed,
            "home_unit": services.fallback_unit_shown(),
            "merged_from": named.merged_from if named is not None else None,
            "prefill": _prefill_text(request) if request.method != "POST" else "",
        },
        status=status,
    )
    if blank:
        page_cache.store(request, response, with_csrf=True)
    return response


# -- follow --------------------------------------------------------------------------------------


def lookup_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Tracking pages answer 429 to an address that tries too many codes in a minute."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.throttle_lookup(client_ip(request))
        except services.Throttled:
            return render(
                request, "feedback/track_lookup.html", {"code": "", "throttled": True}, status=429
            )
        return view(request, *args, **kwargs)

    return wrapped


@lookup_throttled
def track_lookup(request: HttpRequest) -> HttpResponse:
    code = param(request.GET, "code").strip()
    if code:
        concern = selectors.concern_for_worker(code=code)
        if concern is not None:
            return redirect("feedback:track", code=concern.code)
        return render(
            request, "feedback/track_lookup.html", {"code": code, "not_found": True}, status=404
        )
    return render(request, "feedback/track_lookup.html", {"code": ""})


def _tracked(code: str) -> Concern:
    concern = selectors.concern_for_worker(code=code)
    if concern is None:
        raise Http404
    return concern


@lookup_throttled
def track(request: HttpRequest, code: str) -> HttpResponse:
    view = selectors.public_view(_tracked(code))
    return render(
        request,
        "feedback/track.html",
        {
            "c": view,
            "is_new": param(request.GET, "new") == "1",
            "rate_form": RateForm(initial={"rating": view["rating"]}),
            "reopen_form": ReopenForm(),
        },
    )


def _track_action(
    request: HttpRequest,
    code: str,
    form_cls: type[forms.Form],
    action: Callable[[Concern, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    concern = _tracked(code)
    form = form_cls(worker_input(request.POST))
    if form.is_valid():
        try:
            action(concern, form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, done)
    return redirect("feedback:track", code=concern.code)


@accepts_control_characters  # worker_input() keeps the words (forms.py)
@require_POST
@lookup_throttled
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    return _track_action(
        request,
        code,
        RateForm,
        lambda c, d: services.concern_rate(concern=c, rating=d["rating"], comment=d["comment"]),
        _("Cảm ơn bạn đã đánh giá."),
    )


@accepts_control_characters
@require_POST
@lookup_throttled
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _track_action(
        request,
        code,
        ReopenForm,
        lambda c, d: services.concern_reopen(concern=c, reason=d["reason"]),
        _("Ý kiến đã được mở lại; công đoàn sẽ xem xét và trả lời lại."),
    )


@require_POST
@lookup_throttled
def track_erase(request: HttpRequest, code: str) -> HttpResponse:
    concern = _tracked(code)
    services.concern_erase_contact(concern=concern)
    messages.success(
        request, _("Thông tin liên hệ của bạn đã được xoá. Nội dung ý kiến vẫn được giữ để xử lý.")
    )
    return redirect("feedback:track", code=concern.code)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/mine.html", {"concerns": selectors.member_concerns(viewer=request.user)}
    )
