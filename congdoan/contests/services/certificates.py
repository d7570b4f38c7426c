"""Certificates ("Giấy chứng nhận") for the prize winners, and optionally everyone who finished.

- Issued once per attempt (the winner's best attempt in the contest's ranking): issuing again
  adds only the missing ones, numbered on from the last ("12/GCN-LĐLĐPX"), each with a random
  verification code.
- The PDF is one A4 landscape page from HTML (templates/contests/certificate_pdf.html) with
  WeasyPrint through core.pdf, as content's posters are: the font installed with the project
  (Be Vietnam Pro), else Debian's DejaVu Sans, and a fetcher that reads only data: and file:
  addresses. It carries a QR code (core.qr) of the public verification page
  /cuoc-thi/chung-nhan/<code>/, which shows the name, the contest, the prize and the date only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.contests.models import Attempt, Certificate, Contest, ContestStatus
from congdoan.contests.selectors.results import awarded_rank_prizes, ranking
from congdoan.core.pdf import data_uri, html_to_pdf, pdf_fonts
from congdoan.core.qr import qr_svg
from congdoan.core.vndate import vn_date
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold


def number_suffix(contest: Contest) -> str:
    """ "GCN-" and the organising unit's short name in capitals without spaces: "GCN-LĐLĐPX"."""
    name = contest.unit.short_name or contest.unit.code
    letters = re.sub(r"[^0-9A-ZĐ]", "", name.upper().replace("-", ""))
    return f"GCN-{letters or 'CĐ'}"


def _next_number(contest: Contest, start: int) -> tuple[str, int]:
    suffix = number_suffix(contest)
    n = start
    while True:
        number = f"{n:02d}/{suffix}"
        if not Certificate.objects.filter(number=number).exists():
            return number, n + 1
        n += 1


@transaction.atomic
def certificates_issue(*, actor: Viewer, contest: Contest, finishers: bool = False) -> int:
    """Certificates for the rank prize winners (and, with `finishers`, every participant in the
    ranking); those already issued stay as they are. The number issued."""
    if contest.status != ContestStatus.RESULTS:
        raise ValidationError(_("Chỉ cấp giấy chứng nhận sau khi đã công bố kết quả."))
    Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one issuer at a time
    rows, _actual = ranking(contest)
    winners = awarded_rank_prizes(contest, rows)
    chosen = rows if finishers else winners
    have = set(
        Certificate.objects.filter(attempt__round__contest=contest).values_list(
            "attempt_id", flat=True
        )
    )
    start = Certificate.objects.filter(number__endswith="/" + number_suffix(contest)).count() + 1
    issued = 0
    for row in chosen:
        if row.attempt_id in have:
            continue
        number, start = _next_number(contest, start)
        Certificate.objects.create(
            attempt_id=row.attempt_id,
            prize=row.prize,
            number=number,
            rank=row.rank,
            issued_by_id=getattr(actor, "pk", None),
        )
        issued += 1
    if issued:
        audit_record(
            actor=actor,
            action="contests.certificate.issue",
            target=contest,
            changes={"issued": issued, "finishers": finishers},
        )
    return issued


def verify_url(certificate: Certificate) -> str:
    """The public verification page, absolute: what the QR code holds."""
    path = reverse("contests:certificate_verify", args=[certificate.code])
    return settings.SITE_URL.rstrip("/") + path


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    attempt: Attempt = certificate.attempt
    participant = attempt.participant
    contest = attempt.round.contest
    return {
        "certificate": certificate,
        "full_name": participant.full_name,
        "unit_name": participant.unit.name if participant.unit else participant.workplace,
        "contest": contest,
        "prize_name": certificate.prize.name if certificate.prize else "",
        "date": vn_date(certificate.issued_at),
    }


#: The most certificates one combined PDF holds (a print run; more: download by pages).
MAX_PER_PDF = 300


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as one A4 landscape PDF page."""
    return certificates_pdf([certificate])


def certificates_pdf(items: Sequence[Certificate]) -> bytes:
    """Certificates as one PDF, a page each, in the order given (at most `MAX_PER_PDF`)."""
    fonts = pdf_fonts()
    pages = []
    for certificate in items[:MAX_PER_PDF]:
        url = verify_url(certificate)
        pages.append(
            {
                **certificate_context(certificate),
                "qr_uri": data_uri("image/svg+xml", qr_svg(url, border=2)),
                "verify_url": url,
                "unit_upper": certificate.attempt.round.contest.unit.name.upper(),
            }
        )
    html = render_to_string(
        "contests/certificate_pdf.html",
        {
            "items": pages,
            **fonts.context(),
        },
    )
    return html_to_pdf(html)


def certificate_filename(certificate: Certificate) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", fold(certificate.attempt.participant.full_name))
    return f"giay-chung-nhan-{name.strip('-') or certificate.pk}.pdf"


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (public), or None."""
    return (
        Certificate.objects.filter(code=code)
        .select_related("attempt__participant__unit", "attempt__round__contest__unit", "prize")
        .first()
    )
