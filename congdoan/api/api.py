"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Each app adds its router in its own `api.py`; routes that take no `auth` are public.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from congdoan.api.auth import AUTH
from congdoan.core.errors import too_big_message

api = NinjaAPI(
    title="Công Đoàn Số API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    # The docs are in English (one language), whatever the reader's language in the app.
    description=(
        "The JSON API of Công Đoàn Số for mobile apps and integrations. Authenticate with a bearer "
        "token (`cds_…`, made on your account page) or a logged-in session; routes marked public need "
        "neither. [← Back to the app](/)"
    ),
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Không có quyền truy cập.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": too_big_message()}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=422)


api.add_router("/units", "congdoan.orgs.api.router")
api.add_router("/documents", "congdoan.library.api.router")
api.add_router("/feedback", "congdoan.feedback.api.router")
api.add_router("/legal", "congdoan.legal.api.router")
api.add_router("/contests", "congdoan.contests.api.router")
api.add_router("/surveys", "congdoan.surveys.api.router")
