"""/bao-tin/: an officer or a member reports something seen online (a link, pasted text, a
screenshot); it becomes an item of the unit's tips source (`services.tips.submit_tip`). A
plain form: it works without JavaScript on a cheap phone. /theo-doi/tin-bao/: the officers'
list of the tips of their scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congdoan.core import ratelimit
from congdoan.monitoring import rules, selectors
from congdoan.monitoring.forms import TipForm
from congdoan.monitoring.services import tips as tip_services
from congdoan.monitoring.views.common import apply_errors
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import Viewer, scope_for, units_in_scope

TIPS_PER_HOUR = 20
MAX_UNIT_CHOICES = 300


def _member_unit(viewer: Viewer) -> Unit | None:
    member_id = scope_for(viewer).member_id
    if member_id is None:
        return None
    member = Member.objects.filter(pk=member_id).select_related("unit").first()
    return member.unit if member is not None else None


def tip(request: HttpRequest) -> HttpResponse:
    """The tip form: a member's tip goes to their union; an officer picks a unit of their
    scope (their own first). A visitor (from the home page's link) is told why the login
    page comes, and of the Zalo way without an account."""
    if not request.user.is_authenticated:
        messages.info(
            request,
            _(
                "Đăng nhập để báo tin sai sự thật: đoàn viên đăng nhập bằng số điện thoại, cán "
                "bộ bằng e-mail. Chưa có tài khoản? Nhắn Zalo OA của Công đoàn, bắt đầu bằng "
                "#baotin."
            ),
        )
        return redirect_to_login(request.get_full_path())
    if not rules.can_send_tip(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    officer = scope.is_officer
    units = units_in_scope(request.user) if officer else None
    if units is not None and units.count() > MAX_UNIT_CHOICES:
        # A city's or an administrator's scope: their own units, not thousands of options.
        units = (
            units.filter(pk__in=scope.unit_ids) if scope.unit_ids else units.filter(depth__lte=2)
        )
    initial = {}
    if officer:
        own = _member_unit(request.user)
        first = (
            own
            if own is not None and units is not None and units.filter(pk=own.pk).exists()
            else None
        )
        first = first or (units.order_by("path").first() if units is not None else None)
        initial = {"unit": first.pk if first else None}
    form = TipForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data.get("unit") or _member_unit(request.user)
        if unit is None:
            form.add_error(
                None, _("Chưa xác định được đơn vị nhận tin báo. Hãy liên hệ Công đoàn.")
            )
        elif not ratelimit.hit(
            f"monitoring-tip:{request.user.pk}", limit=TIPS_PER_HOUR, window=3600
        ):
            form.add_error(None, _("Bạn đã gửi nhiều tin báo trong một giờ. Hãy thử lại sau."))
        else:
            data = form.cleaned_data
            try:
                tip_services.submit_tip(
                    user=request.user,
                    unit=unit,
                    url=data["url"] or "",
                    text=(data["text"] or "").strip(),
                    screenshot=data["screenshot"],
                    channel="web",
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("monitoring:tip_thanks")
    return render(request, "monitoring/tip_form.html", {"form": form})


@login_required
def tip_thanks(request: HttpRequest) -> HttpResponse:
    """The confirmation, with the last tips this person sent."""
    return render(
        request, "monitoring/tip_thanks.html", {"tips": selectors.my_tips(request.user)[:5]}
    )


@officer_required
def tip_list(request: HttpRequest) -> HttpResponse:
    tips = selectors.tips_for(request.user)
    page = Paginator(tips, 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/tips.html", {"page_obj": page, "nav": "tips"})
