"""Error answers (handler400/403/404/500): Vietnamese pages, and JSON under /api/.

Django answers these itself for what happens before a view runs or outside it: a body over
DATA_UPLOAD_MAX_MEMORY_SIZE (`RequestDataTooBig`, raised where the CSRF middleware or the API
reads the body), an address no route knows, an error in a middleware. Its own 400 page is
English, and API clients expect JSON.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from congdoan.core.uploads import format_size

API_PREFIX = "/api/"


def too_big_message() -> str:
    return _("Nội dung gửi lên quá lớn (tối đa %(limit)s).") % {
        "limit": format_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = too_big_message() if isinstance(exception, RequestDataTooBig) else ""
    if is_api(request):
        return JsonResponse({"detail": reason or _("Yêu cầu không hợp lệ.")}, status=400)
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("Không có quyền truy cập.")}, status=403)
    return defaults.permission_denied(request, exception or Exception())


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return defaults.page_not_found(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("Hệ thống đang gặp sự cố, xin thử lại sau.")}, status=500)
    return defaults.server_error(request)
