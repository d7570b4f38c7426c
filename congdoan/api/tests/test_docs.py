"""The API's docs (/api/v1/docs): one language (English), a summary for every endpoint, a way back."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _has_vietnamese(text: str) -> bool:
    """A letter with a Vietnamese mark (or đ): the docs would be in two languages."""
    return any(c in "đĐ" or (c.isalpha() and unicodedata.normalize("NFD", c) != c) for c in text)


def _schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_every_endpoint_has_its_own_summary(client: Client) -> None:
    schema = _schema(client)
    operations = [(path, op) for path, ops in schema["paths"].items() for op in ops.values()]
    assert len(operations) >= 8
    for path, op in operations:
        summary = op.get("summary", "")
        default = op["operationId"].rsplit("_api_", 1)[-1].replace("_", " ").title()
        assert summary and summary != default, f"{path} has no summary of its own"


def test_docs_are_in_one_language_and_lead_back_to_the_app(client: Client) -> None:
    schema = _schema(client)
    texts = [schema["info"]["description"]]
    for ops in schema["paths"].values():
        for op in ops.values():
            texts += [op.get("summary", ""), op.get("description", ""), *op.get("tags", [])]
    for text in texts:
        assert not _has_vietnamese(text.replace("Công Đoàn Số", "")), text
    assert "](/)" in schema["info"]["description"]
    assert client.get("/api/v1/docs").status_code == 200
