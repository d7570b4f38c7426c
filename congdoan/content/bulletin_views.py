"""Pages of the e-bulletin (bulletin.py): the digests, subscribing, confirming, unsubscribing,
and the open pixel and counted links of a mail (bulletin_tracking.py). All public; tokens in
the links decide, never a login (officers also see an issue's mail figures on its page).
A signed-in member may also acknowledge a sent issue on its week page ("Tôi đã đọc bản tin
này", bulletin_acks.py): the plan's evidence of reach, shown only to that member."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congdoan.content import bulletin, bulletin_acks, bulletin_tracking
from congdoan.content.models_bulletin import SubscriberStatus
from congdoan.core.request_context import client_ip


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    current, products = bulletin.latest_issue()
    return render(
        request,
        "content/bulletin/index.html",
        {
            "latest": current,
            "products": products,
            "weeks": bulletin.recent_weeks(),
        },
    )


@require_safe
def week(request: HttpRequest, year: int, week: int) -> HttpResponse:
    found = bulletin.week_from(year, week)
    if found is None:
        raise Http404
    ack = bulletin_acks.ack_state(user=request.user, week=found)
    response = render(
        request,
        "content/bulletin/week.html",
        {
            "week": found,
            "products": bulletin.digest_products(found),
            "weeks": None,
            # Officers see how the issue's mails did (counts only).
            "stats": bulletin.issue_stats_for(viewer=request.user, week=found),
            "ack": ack.value,
        },
    )
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)  # the member's own state: no shared cache
    return response


@require_POST
def acknowledge(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """The member's "Tôi đã đọc bản tin này" (a plain form: works without JavaScript); again
    adds nothing. Anonymous: to the login page; a user who is no member: 403."""
    found = bulletin.week_from(year, week)
    if found is None:
        raise Http404
    page = reverse("bulletin:week", args=[found.year, found.week])
    if not request.user.is_authenticated:
        return redirect_to_login(page)
    state = bulletin_acks.ack_record(user=request.user, week=found)
    if state == bulletin_acks.AckState.NOT_MEMBER:
        raise PermissionDenied
    if state == bulletin_acks.AckState.NOT_SENT:
        raise Http404
    messages.success(request, _("Cảm ơn bạn đã xác nhận đọc bản tin này."))
    return redirect(page)


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    result = bulletin.subscription_request(
        email=request.POST.get("email", "")[:254], client=client_ip(request)
    )
    if result == bulletin.SubscribeResult.INVALID:
        messages.error(request, _("Địa chỉ e-mail không hợp lệ."))
    elif result == bulletin.SubscribeResult.LIMITED:
        messages.error(request, _("Bạn đã gửi quá nhiều yêu cầu. Xin thử lại sau một giờ."))
    else:
        messages.success(
            request,
            _(
                "Nếu địa chỉ này chưa nhận bản tin, chúng tôi vừa gửi tới đó một thư xác nhận. "
                "Bản tin chỉ được gửi sau khi bạn bấm đường dẫn trong thư."
            ),
        )
    return redirect("bulletin:index")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a mail scanner that opens links confirms nothing); POST confirms."""
    if request.method == "POST":
        if bulletin.subscription_confirm(token=token) is None:
            return render(request, "content/bulletin/confirm.html", {"invalid": True}, status=404)
        return render(request, "content/bulletin/confirm.html", {"done": True})
    if not bulletin.confirm_token_valid(token):
        return render(request, "content/bulletin/confirm.html", {"invalid": True}, status=404)
    return render(request, "content/bulletin/confirm.html", {"token": token})


@csrf_exempt  # the mail client's one-click POST (RFC 8058) has no cookie: the token decides
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; POST (the button, or the mail client's List-Unsubscribe-Post)
    stops the mails. An unknown token is a 404."""
    subscriber = bulletin.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        bulletin.subscription_cancel(subscriber=subscriber)
        return render(request, "content/bulletin/unsubscribe.html", {"done": True})
    done = subscriber.status == SubscriberStatus.UNSUBSCRIBED
    return render(request, "content/bulletin/unsubscribe.html", {"token": token, "done": done})


@require_safe
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """The 1×1 GIF of a digest mail: the mail is counted opened (once). The same answer for any
    token, known or not; no cookie, nothing cached, no session touched."""
    if request.method == "GET":
        bulletin_tracking.open_record(token)
    response = HttpResponse(bulletin_tracking.PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def redirect_link(request: HttpRequest, token: str, n: int) -> HttpResponse:
    """The n-th link of a digest mail: counted (once per mail), then followed; only to a link
    that was in that mail, else a 404."""
    path = (
        bulletin_tracking.click_follow(token, n)
        if request.method == "GET"
        else bulletin_tracking.link_of(token, n)
    )
    if path is None:
        raise Http404
    response = HttpResponseRedirect(path)
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def click(request: HttpRequest, token: str) -> HttpResponse:
    """A product link of a mail: counted, then the product's page on this site (or a 404)."""
    path = bulletin.click_follow(token)
    if path is None:
        raise Http404
    return HttpResponseRedirect(path)
