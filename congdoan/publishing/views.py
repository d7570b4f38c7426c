"""Pages of publishing: the unit's channels (/xuat-ban/kenh/, connect and reconnect), where a
product goes (/xuat-ban/<product>/) and the publications log with its retry (/xuat-ban/)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.content.models import ProductStatus, Sharing
from congdoan.orgs.rules import officer_required
from congdoan.publishing import oauth, publications, selectors, services, zalo
from congdoan.publishing.forms import ChoicesForm
from congdoan.publishing.models import ChannelKind, PublicationStatus
from congdoan.publishing.rules import can_manage_channels

# The platforms with a connect button: the slug in the URL → (kind, whether it is configured).
CONNECT = {
    "facebook": ChannelKind.FACEBOOK_PAGE,
    "youtube": ChannelKind.YOUTUBE,
    "zalo": ChannelKind.ZALO_OA,
}
# Channels anyone can read: only products shared with the public go there.
PUBLIC_KINDS = (ChannelKind.FACEBOOK_PAGE, ChannelKind.YOUTUBE, ChannelKind.ZALO_OA)

# The account kinds whose "reconnect" button goes to a platform (the template's form).
RECONNECT = {kind: slug for slug, kind in CONNECT.items()}
_SESSION = "publishing_connect"


def _configured(platform: str) -> bool:
    if platform == "facebook":
        return bool(settings.FACEBOOK_APP_ID and settings.FACEBOOK_APP_SECRET)
    if platform == "zalo":
        return bool(settings.ZALO_APP_ID and settings.ZALO_APP_SECRET_KEY)
    return bool(settings.GOOGLE_OAUTH_CLIENT_ID and settings.GOOGLE_OAUTH_CLIENT_SECRET)


@officer_required
def accounts(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.accounts(viewer=request.user))
    return render(
        request,
        "publishing/accounts.html",
        {
            # Each account with the platform its "reconnect" button goes to ("" for none).
            "accounts": [(a, RECONNECT.get(ChannelKind(a.kind), "")) for a in rows],
            "attention": [a for a in rows if a.needs_reconnect],
            "units": selectors.units_for_channels(viewer=request.user),
            "platforms": [
                {"slug": slug, "label": ChannelKind(kind).label, "configured": _configured(slug)}
                for slug, kind in CONNECT.items()
            ],
        },
    )


def _callback_url(request: HttpRequest, platform: str) -> str:
    return request.build_absolute_uri(reverse("publishing:connect_done", args=[platform]))


@officer_required
@require_POST
def connect(request: HttpRequest, platform: str) -> HttpResponse:
    """The connect/reconnect button (a POST, so no other site can start it): to the platform's
    consent screen, for one unit."""
    if platform not in CONNECT:
        raise Http404
    unit = get_object_or_404(
        selectors.units_for_channels(viewer=request.user), code=request.POST.get("unit", "")
    )
    if not _configured(platform):
        messages.error(
            request,
            _("Máy chủ chưa được cấu hình ứng dụng %(platform)s; báo quản trị hệ thống.")
            % {"platform": ChannelKind(CONNECT[platform]).label},
        )
        return redirect("publishing:accounts")
    state = secrets.token_urlsafe(24)
    pending = {"state": state, "unit": unit.pk, "platform": platform}
    redirect_uri = _callback_url(request, platform)
    if platform == "zalo":  # OAuth v4 with PKCE: the verifier waits in the session
        verifier, challenge = zalo.pkce_pair()
        request.session[_SESSION] = {**pending, "verifier": verifier}
        return redirect(
            zalo.dialog_url(redirect_uri=redirect_uri, state=state, code_challenge=challenge)
        )
    request.session[_SESSION] = pending
    if platform == "facebook":
        return redirect(oauth.facebook_dialog_url(redirect_uri=redirect_uri, state=state))
    return redirect(oauth.google_dialog_url(redirect_uri=redirect_uri, state=state))


@officer_required
def connect_done(request: HttpRequest, platform: str) -> HttpResponse:
    """The platform sends the officer back here with a code (or an error)."""
    if platform not in CONNECT:
        raise Http404
    pending = request.session.pop(_SESSION, None) or {}
    state = request.GET.get("state", "")
    if not state or pending.get("state") != state or pending.get("platform") != platform:
        messages.error(request, _("Phiên kết nối không hợp lệ hoặc đã hết hạn; hãy thử lại."))
        return redirect("publishing:accounts")
    unit = get_object_or_404(selectors.units_for_channels(viewer=request.user), pk=pending["unit"])
    if not can_manage_channels(request.user, unit):
        raise PermissionDenied
    code = request.GET.get("code", "")
    if not code:
        messages.error(
            request,
            _("Chưa kết nối: %(reason)s")
            % {"reason": request.GET.get("error_description") or request.GET.get("error") or "—"},
        )
        return redirect("publishing:accounts")
    redirect_uri = _callback_url(request, platform)
    try:
        if platform == "zalo":
            found = [
                zalo.oa_connection(
                    code=code,
                    code_verifier=str(pending.get("verifier") or ""),
                    oa_id=request.GET.get("oa_id", ""),
                )
            ]
        elif platform == "facebook":
            found = oauth.facebook_pages(code=code, redirect_uri=redirect_uri)
        else:
            found = [oauth.youtube_channel(code=code, redirect_uri=redirect_uri)]
    except oauth.ConnectError as exc:
        messages.error(request, str(exc))
        return redirect("publishing:accounts")
    for item in found:
        account = services.account_connect(
            actor=request.user,
            unit=unit,
            kind=CONNECT[platform],
            external_id=item.external_id,
            display_name=item.display_name,
            credentials=item.credentials,
            access_token_expires_at=item.access_token_expires_at,
            refresh_token_expires_at=item.refresh_token_expires_at,
        )
        messages.success(request, _("Đã kết nối %(name)s.") % {"name": account})
    return redirect("publishing:accounts")


@officer_required
@require_POST
def disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_get(viewer=request.user, account_id=account_id)
    services.account_disconnect(actor=request.user, account=account)
    messages.success(request, _("Đã bỏ kết nối kênh."))
    return redirect("publishing:accounts")


@officer_required
def log(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.publications(viewer=request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/log.html",
        {"page": page, "status": status, "statuses": PublicationStatus.choices},
    )


@officer_required
@require_POST
def retry(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = selectors.publication_get(viewer=request.user, publication_id=publication_id)
    if publications.publication_retry(actor=request.user, publication=publication):
        messages.success(request, _("Đã đưa bài vào hàng chờ để đăng lại."))
    else:
        messages.info(
            request,
            _("Bài này không đăng lại được lúc này (chưa lỗi, hoặc kênh cần kết nối lại trước)."),
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("publishing:log")
    return redirect(back)


@officer_required
def product(request: HttpRequest, product_id: int) -> HttpResponse:
    """Where the product goes: the unit's accounts to tick; posted when it is published (or at
    once, when it already is)."""
    item = selectors.product_get(viewer=request.user, product_id=product_id)
    if not can_manage_channels(request.user, item.unit):
        raise PermissionDenied
    usable = selectors.publishable_accounts(product=item)
    form = ChoicesForm(
        request.POST or None,
        accounts=usable,
        initial={"accounts": list(selectors.chosen_account_ids(product=item))},
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["accounts"])
        publications.choices_set(actor=request.user, product=item, accounts=chosen)
        public_only = [a for a in chosen if a.kind in PUBLIC_KINDS]
        if public_only and item.sharing != Sharing.PUBLIC:
            messages.warning(
                request,
                _(
                    "%(a)s: sản phẩm không chia sẻ công khai nên sẽ không được đăng lên đó; "
                    "hãy sửa phạm vi chia sẻ thành “Công khai” nếu muốn đăng."
                )
                % {"a": ", ".join(str(a) for a in public_only)},
            )
        if not chosen:
            messages.info(request, _("Chưa chọn kênh nào: sản phẩm không được đăng lên kênh."))
        elif item.status == ProductStatus.PUBLISHED and "now" in request.POST:
            for account in chosen:
                try:
                    _pub, created = publications.publication_enqueue(
                        actor=request.user, product=item, account=account
                    )
                except publications.NotPublishable as exc:
                    messages.error(request, f"{account}: {exc}")
                    continue
                if created:
                    messages.success(request, _("Đã xếp hàng đăng lên %(a)s.") % {"a": account})
                else:
                    messages.info(
                        request,
                        _("Phiên bản này đã được đăng lên %(a)s; không đăng lại.") % {"a": account},
                    )
        elif item.status == ProductStatus.PUBLISHED:
            messages.success(
                request,
                _(
                    "Đã lưu các kênh. Sản phẩm đã được đăng: bấm “Lưu và đăng ngay” để đăng "
                    "lên các kênh đã chọn."
                ),
            )
        else:
            messages.success(
                request, _("Đã lưu các kênh; bài sẽ được đăng khi sản phẩm được đăng.")
            )
        return redirect("publishing:product", product_id=item.pk)
    return render(
        request,
        "publishing/product.html",
        {
            "product": item,
            "form": form,
            "has_accounts": usable.exists(),
            "is_published": item.status == ProductStatus.PUBLISHED,
            "publications": selectors.publications(viewer=request.user, product=item),
        },
    )
