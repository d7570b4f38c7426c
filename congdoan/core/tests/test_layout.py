"""The shared layout: the officers' menu, light public pages, friendly error pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_officer_menu_reaches_the_main_sections_from_any_page(
    officer_a: Any, client_of: Any
) -> None:
    html = client_of(officer_a).get(reverse("library:list")).content.decode()
    for name in (
        "web:dashboard",
        "feedback:inbox",
        "library:list",
        "orgs:tree",
        "accounts:profile",
        "audit:list",
    ):
        assert f'href="{reverse(name)}"' in html
    assert 'aria-current="page"' in html


def test_admin_menu_also_reaches_the_audit_log(admin_user: Any, client_of: Any) -> None:
    html = client_of(admin_user).get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("audit:list")}"' in html


def test_officer_menu_reaches_the_outbox_but_not_the_workers_page(
    officer_a: Any, client_of: Any
) -> None:
    html = client_of(officer_a).get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("outbox:health")}"' in html
    assert reverse("web:operations") not in html


def test_admin_menu_reaches_the_workers_page_and_the_outbox(
    admin_user: Any, client_of: Any
) -> None:
    client = client_of(admin_user)
    html = client.get(reverse("web:dashboard")).content.decode()
    for name in ("web:operations", "outbox:health"):
        assert f'href="{reverse(name)}"' in html
        assert client.get(reverse(name)).status_code == 200


def test_member_menu_has_no_audit_log(member: Any, client_of: Any) -> None:
    html = client_of(member).get(reverse("accounts:profile")).content.decode()
    assert reverse("audit:list") not in html


def test_pages_for_workers_load_no_script(client: Client, member: Any, client_of: Any) -> None:
    for response in (
        client.get(reverse("web:home")),
        client.get(reverse("feedback:submit")),
        client.get(reverse("library:public_list")),
        client_of(member).get(reverse("feedback:mine")),
    ):
        assert b"<script" not in response.content


def test_unknown_address_answers_a_friendly_vietnamese_404(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang này" in response.content.decode()


def test_member_sees_a_vietnamese_403_on_the_audit_log(member: Any, client_of: Any) -> None:
    response = client_of(member).get(reverse("audit:list"))
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


def test_server_error_page_renders_without_request_or_database() -> None:
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Xin lỗi, hệ thống đang gặp sự cố" in html


def test_a_json_body_over_the_limit_gets_a_vietnamese_json_400_from_the_api(
    client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"unit": "PX-A", "text": "lương " * 1000})
    response = client.post("/api/v1/feedback", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Nội dung gửi lên quá lớn (tối đa 1 KB)."}


def test_a_form_body_over_the_limit_gets_a_vietnamese_400_page(
    client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/y-kien/gui/", {"unit": "PX-A", "text": "lương " * 1000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Yêu cầu không hợp lệ" in html and "Nội dung gửi lên quá lớn (tối đa 1 KB)." in html


def test_an_unknown_api_address_answers_json(client: Client) -> None:
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_error_pages_exist_and_are_vietnamese() -> None:
    from django.template import loader

    for name, text in (
        ("400.html", "Yêu cầu không hợp lệ"),
        ("403.html", "Bạn không có quyền xem trang này"),
        ("404.html", "Không tìm thấy trang này"),
        ("500.html", "Xin lỗi, hệ thống đang gặp sự cố"),
    ):
        assert text in loader.get_template(name).render({}), name
