"""`congdoan seed-demo` (what `make demo` runs) reaches the demo data in congdoan_dev.demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from congdoan.orgs.models import Unit


@pytest.mark.django_db
def test_seed_demo_seeds_the_apps_asked_for_and_prints_the_logins() -> None:
    out = StringIO()
    call_command("seed-demo", only="orgs", stdout=out)
    text = out.getvalue()
    assert "• orgs" in text and "• feedback" not in text
    assert "Đã nạp dữ liệu mẫu." in text and "admin@congdoan.vn" in text
    assert Unit.objects.filter(code="PX").exists()
