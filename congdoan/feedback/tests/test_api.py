from __future__ import annotations

from typing import Any

from congdoan.feedback.models import Channel, Concern, Status
from congdoan.feedback.services import concern_answer


def _post(client: Any, body: dict[str, Any], ip: str = "10.0.0.1") -> Any:
    return client.post("/api/v1/feedback", body, content_type="application/json", REMOTE_ADDR=ip)


def test_public_api_takes_a_concern_by_unit_code_and_returns_a_tracking_code(
    cast: Any, client: Any
) -> None:
    response = _post(
        client,
        {
            "text": "cty no luong 2 thang",
            "unit": "PX-A",
            "anonymous": True,
            "contact_phone": "0912 345 678",
        },
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    concern = Concern.objects.get(code=code)
    assert (
        concern.channel == Channel.API
        and concern.unit == cast.unit_a
        and concern.contact_phone == "+84912345678"
    )
    assert response.json()["tracking_url"].endswith(f"/y-kien/tra-cuu/{code}/")


def test_public_api_takes_a_qr_token(cast: Any, client: Any) -> None:
    response = _post(client, {"text": "Xin hỏi về BHXH", "qr": cast.unit_b.qr_token})
    assert response.status_code == 201
    assert Concern.objects.get(code=response.json()["code"]).unit == cast.unit_b


def test_public_api_refuses_unknown_unit_and_bad_text_in_vietnamese(cast: Any, client: Any) -> None:
    assert _post(client, {"text": "Xin hỏi", "unit": "KHONG-CO"}).status_code == 404
    bad = _post(client, {"text": "   ", "unit": "PX-A"})
    assert bad.status_code == 422 and "nội dung" in str(bad.json()["detail"]).lower()
    assert Concern.objects.count() == 0


def test_tracking_api_shows_status_and_answer_but_no_contact_or_notes(
    cast: Any, client: Any, submit: Any
) -> None:
    concern = submit(
        "Xin hỏi nghỉ Tết",
        unit=cast.unit_a,
        contact_name="Nguyễn Văn Ẩn",
        contact_phone="0912345678",
    )
    concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Nghỉ từ 28 tháng Chạp.",
        note="ghi chú nội bộ bí mật",
    )
    body = client.get(f"/api/v1/feedback/{concern.code.lower()}").json()
    assert body["status"] == Status.ANSWERED and body["answer"] == "Nghỉ từ 28 tháng Chạp."
    text = str(body)
    assert (
        "0912345678" not in text
        and "+84912345678" not in text
        and "Ẩn" not in text
        and "bí mật" not in text
    )
    assert client.get("/api/v1/feedback/YK-ZZZZZZ").status_code == 404


def test_inbox_api_needs_an_officer(cast: Any, client: Any, client_of: Any) -> None:
    assert client.get("/api/v1/feedback/inbox").status_code == 401
    assert client_of(cast.member_user).get("/api/v1/feedback/inbox").status_code == 404
