"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Each app adds its router in its own `api.py`; routes that take no `auth` are public.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from congdoan.api.auth import AUTH

api = NinjaAPI(
    title="Công Đoàn Số API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    description="API cho ứng dụng di động và tích hợp. Xác thực bằng mã Bearer (cds_…) hoặc phiên đăng nhập.",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Không có quyền truy cập."}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=422)


api.add_router("/units", "congdoan.orgs.api.router")
api.add_router("/documents", "congdoan.library.api.router")
api.add_router("/feedback", "congdoan.feedback.api.router")
