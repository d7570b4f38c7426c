"""Demo of information monitoring (issue 18): what LĐLĐ huyện Phú Xuyên watched over the last
three months and how each story was handled.

- Sources of the district: two press feeds (RSS), the city federation's portal (RSS, failing for
  three fetches: a timeout), a workers' Facebook Page, a social-listening tool's export (file)
  and the tips source of two grassroots unions;
- known false claims with their refutations (the union fee "deducted from wages", the one-time
  social-insurance withdrawal "abolished", the union "giving money through a link", the
  regional minimum wage "cut");
- about 65 items: press articles (relevant and not), posts and comments that form eight
  narratives in different states: new, response planned, responded, resolved, dismissed with a
  reason, so the dashboard, the monthly report and the plan's "80 % handled" indicator show a
  real figure (6 of 8 handled);
- the handling timeline of each (status changes, assignments, notes, alerts), a few snapshots
  kept as evidence, and tips from a member and an officer.

Items are written with their scores as detection would give them (the demo does not depend on
the models being installed) and grouped by hand; they carry no MinHash signature, so a story
ingested later starts its own narrative. Idempotent: nothing is added when the district's first
press source exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from congdoan.accounts.models import User
from congdoan.content.models import Product
from congdoan.monitoring import alerts
from congdoan.monitoring.messages import message, render
from congdoan.monitoring.models import (
    EventKind,
    Item,
    ItemKind,
    KnownClaim,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
    ResponseKind,
    Snapshot,
    Source,
    SourceKind,
    Stance,
    Tip,
    TipChannel,
    Toxicity,
)
from congdoan.monitoring.services.ingest import content_hash
from congdoan.orgs.models import Unit

FIRST_SOURCE = "Báo Lao Động – Công đoàn"
# The plan's "false_info_handled" source (the demo's 6 of 8 handled show there).
FIGURE_PATH = "congdoan.monitoring.selectors.handled_figures"
OFFICE = "vanphong@ldldphuxuyen.vn"
DEPUTY = "thuongvu@ldldphuxuyen.vn"
PHU_MINH = "cdcs.mayphuminh@gmail.com"
HAN_VIET = "cdcs.hanviet@gmail.com"
MEMBER = "0912345678"
S = NarrativeStatus

# (key, unit, name, kind, url, external_ref, keywords, minutes, errors)
SOURCES = [
    ("ld", "PX", FIRST_SOURCE, SourceKind.RSS, "https://laodong.vn/rss/cong-doan.rss", "",
     "công đoàn\nngười lao động\nPhú Xuyên", 60, 0),
    ("nld", "PX", "Báo Người Lao Động – Công đoàn", SourceKind.RSS,
     "https://nld.com.vn/rss/cong-doan.rss", "", "công đoàn\nbảo hiểm xã hội", 60, 0),
    ("portal", "PX", "Cổng thông tin LĐLĐ TP Hà Nội", SourceKind.RSS,
     "https://congdoanhanoi.org.vn/rss/tin-tuc.rss", "", "Phú Xuyên", 120, 3),
    ("fb", "PX", "Trang Facebook “Công nhân Phú Xuyên”", SourceKind.FACEBOOK, "",
     "104857623311902", "công đoàn\nlương\nthưởng Tết", 30, 0),
    ("file", "PX", "Xuất từ công cụ lắng nghe mạng xã hội", SourceKind.FILE, "", "", "", 60, 0),
    ("tips_pm", "PX-MAY-PHUMINH", "Tin báo", SourceKind.TIPS, "", "", "", 60, 0),
    ("tips_px", "PX", "Tin báo", SourceKind.TIPS, "", "", "", 60, 0),
]  # fmt: skip

# (key, unit, claim, refutation, active)
CLAIMS = [
    ("fee", "PX",
     "Doanh nghiệp được trừ 2% lương của công nhân để nộp kinh phí công đoàn",
     "Kinh phí công đoàn 2% do doanh nghiệp đóng trên quỹ tiền lương, không được trừ vào lương "
     "người lao động. Đoàn viên chỉ đóng đoàn phí 1% tiền lương (có mức tối đa), người lao động "
     "không phải đoàn viên không đóng khoản nào.", True),
    ("bhxh", "PX",
     "Nhà nước bỏ hẳn rút bảo hiểm xã hội một lần, người lao động mất trắng tiền đã đóng",
     "Luật Bảo hiểm xã hội 2024 (hiệu lực từ 1/7/2025) vẫn cho người đã đóng trước ngày 1/7/2025 "
     "hưởng bảo hiểm xã hội một lần khi đủ điều kiện (nghỉ việc đủ 12 tháng, không tiếp tục "
     "đóng, chưa đủ 20 năm đóng). Thời gian đóng được bảo lưu để hưởng lương hưu, không mất.",
     True),
    ("link", "PX",
     "Công đoàn phát tiền hỗ trợ công nhân, đăng ký nhận qua đường link",
     "Công đoàn không thu thông tin tài khoản ngân hàng qua đường link lạ. Hỗ trợ của Công đoàn "
     "được xét qua công đoàn cơ sở, danh sách công khai tại đơn vị.", True),
    ("wage", "PX",
     "Lương tối thiểu vùng giảm từ năm 2026",
     "Nghị định của Chính phủ tăng lương tối thiểu vùng từ ngày 1/1/2026; không có quy định "
     "giảm lương tối thiểu.", False),
]  # fmt: skip


@dataclass
class Story:
    key: str
    unit: str
    title: str
    days_ago: float
    status: str
    claim: str | None
    toxicity: str
    stance: str
    risk: float
    texts: list[tuple[str, str, str, int]]  # (source key, kind, text, reach)
    handler: str = OFFICE
    response_kind: str = ""
    dismiss_reason: str = ""
    product_title: str = ""


STORIES = [
    Story("bhxh", "PX", "Tin đồn bỏ hẳn rút BHXH một lần, người lao động “mất trắng”", 78,
          S.RESOLVED, "bhxh", Toxicity.CLEAN, Stance.NEGATIVE, 0.74, [
        ("fb", ItemKind.POST, "NÓNG: Từ năm nay bỏ hẳn rút BHXH một lần, ai chưa rút thì coi như mất trắng tiền đã đóng!!! Chia sẻ ngay cho anh em công nhân biết", 18400),
        ("fb", ItemKind.COMMENT, "bo han rut bhxh 1 lan that a, vay tien dong bao nam nay mat het a", 320),
        ("fb", ItemKind.COMMENT, "Thế thì nghỉ việc rút luôn bây giờ cho chắc ae ơi", 410),
        ("file", ItemKind.POST, "Nóng: từ năm nay bỏ hẳn rút BHXH 1 lần, ai chưa rút coi như mất trắng tiền đã đóng. Chia sẻ cho công nhân biết", 9600),
        ("file", ItemKind.POST, "Ae KCN ơi bỏ rút bhxh một lần rồi, mất trắng tiền đóng bao năm, cty nào cũng thế", 5200),
        ("file", ItemKind.COMMENT, "Công đoàn đâu sao không lên tiếng vụ mất trắng BHXH?", 880),
        ("nld", ItemKind.ARTICLE, "Không có chuyện “mất trắng” tiền BHXH khi không rút một lần: người lao động đã đóng trước 1/7/2025 vẫn được hưởng BHXH một lần khi đủ điều kiện", 42000),
        ("file", ItemKind.POST, "Từ nay bỏ rút BHXH một lần, người lao động mất trắng: tin này là sai, các bạn đọc kỹ luật mới nhé", 2100),
        ("fb", ItemKind.COMMENT, "bỏ rút bhxh một lần là mất trắng hết hả mọi người", 150),
    ], handler=OFFICE, response_kind=ResponseKind.EXPLAINER,
          product_title="Những điểm mới của Luật Bảo hiểm xã hội năm 2024 người lao động cần biết"),
    Story("fee", "PX", "Tin sai: công ty trừ thêm 2% lương công nhân để nộp kinh phí công đoàn", 52,
          S.RESPONDED, "fee", Toxicity.CLEAN, Stance.NEGATIVE, 0.81, [
        ("fb", ItemKind.POST, "Từ tháng sau công ty sẽ trừ thêm 2% lương của công nhân để nộp kinh phí công đoàn. Lương đã thấp còn bị trừ!", 22100),
        ("fb", ItemKind.COMMENT, "cty tru 2% luong nop cong doan a, vo ly qua", 540),
        ("fb", ItemKind.COMMENT, "Trừ 2% lương để nộp công đoàn thì công đoàn làm gì cho mình?", 730),
        ("file", ItemKind.POST, "Công ty trừ thêm 2% lương công nhân để nộp kinh phí công đoàn từ tháng sau, ae check phiếu lương nhé", 8700),
        ("file", ItemKind.POST, "Từ tháng sau cty trừ thêm 2% lương CN để nộp kinh phí công đoàn. Lương đã thấp còn trừ!!", 6300),
        ("file", ItemKind.COMMENT, "trừ 2% lương nộp kinh phí công đoàn là đúng luật hay sai vậy mn", 260),
        ("file", ItemKind.COMMENT, "Cty mình cũng bảo trừ 2% lương nộp công đoàn, ai biết chỉ với", 190),
        ("tips_px", ItemKind.TIP, "Trên nhóm Zalo công nhân KCN đang lan tin công ty trừ 2% lương nộp kinh phí công đoàn, nhiều người hoang mang", 0),
        ("fb", ItemKind.COMMENT, "Trừ thêm 2% lương nộp công đoàn, thôi xin rút khỏi công đoàn cho xong", 310),
        ("ld", ItemKind.ARTICLE, "Kinh phí công đoàn 2% do doanh nghiệp đóng, không trừ vào lương người lao động", 35000),
        ("file", ItemKind.POST, "Từ tháng sau công ty trừ thêm 2% lương công nhân nộp kinh phí công đoàn — chia sẻ cho mọi người cùng biết", 4400),
    ], handler=OFFICE, response_kind=ResponseKind.CLARIFICATION),
    Story("insult", "PX-MAY-PHUMINH", "Bài đăng xúc phạm cán bộ Công đoàn May Phú Minh, kích động ngừng việc", 36,
          S.RESPONDED, None, Toxicity.OFFENSIVE, Stance.NEGATIVE, 0.86, [
        ("fb", ItemKind.POST, "Bọn cán bộ công đoàn May Phú Minh toàn lũ ăn tiền của chủ, ngồi mát ăn bát vàng. Anh em nghỉ hết thứ Hai tuần sau cho chúng nó biết mặt!", 15300),
        ("fb", ItemKind.COMMENT, "cb cong doan may phu minh an tien cua chu het roi, nghi het di ae", 620),
        ("fb", ItemKind.COMMENT, "Lũ ăn bám, đuổi hết bọn công đoàn đi", 480),
        ("file", ItemKind.POST, "Cán bộ công đoàn May Phú Minh ăn tiền của chủ, anh em nghỉ hết thứ Hai tuần sau!!!", 7100),
        ("tips_pm", ItemKind.TIP, "Có tài khoản lạ đăng bài nói cán bộ công đoàn công ty mình ăn tiền của chủ, rủ mọi người nghỉ việc thứ Hai", 0),
        ("file", ItemKind.COMMENT, "bọn cán bộ công đoàn may phú minh ngồi mát ăn bát vàng", 350),
        ("fb", ItemKind.COMMENT, "Nghỉ hết thứ Hai, cho công đoàn May Phú Minh biết mặt", 290),
        ("file", ItemKind.POST, "May Phú Minh: cán bộ công đoàn toàn ăn tiền của chủ, thứ Hai nghỉ hết", 3900),
    ], handler=PHU_MINH, response_kind=ResponseKind.PLATFORM_REPORT),
    Story("scam", "PX", "Tin giả: LĐLĐ huyện phát 2 triệu đồng cho mỗi công nhân, đăng ký qua đường link", 21,
          S.RESPONDED, "link", Toxicity.CLEAN, Stance.NEUTRAL, 0.77, [
        ("fb", ItemKind.POST, "LĐLĐ huyện Phú Xuyên hỗ trợ 2.000.000đ cho mỗi công nhân dịp cuối năm, đăng ký nhận tại link bit.ly/hotro-congnhan, nhập số tài khoản ngân hàng", 12800),
        ("file", ItemKind.POST, "Công đoàn Phú Xuyên phát 2 triệu cho mỗi công nhân, đăng ký qua link bit.ly/hotro-congnhan kèm số tài khoản", 6900),
        ("file", ItemKind.POST, "cong doan phu xuyen ho tro 2tr moi cong nhan, dang ky qua link nhe ae", 2400),
        ("fb", ItemKind.COMMENT, "Mình đăng ký rồi mà chưa thấy tiền về, có phải lừa đảo không?", 560),
        ("tips_px", ItemKind.TIP, "Nhóm Zalo của tổ đang chia sẻ link đăng ký nhận 2 triệu của Công đoàn, đề nghị xác minh", 0),
        ("fb", ItemKind.COMMENT, "LĐLĐ huyện phát 2 triệu qua link thật hả, ai nhận được chưa", 330),
        ("ld", ItemKind.ARTICLE, "Cảnh giác với đường link mạo danh Công đoàn hỗ trợ tiền cho công nhân", 28000),
    ], handler=OFFICE, response_kind=ResponseKind.CLARIFICATION),
    Story("overtime", "PX-DIENTU-HANVIET", "Phản ánh tăng ca liên tục tại Công ty Điện tử Hàn Việt", 41,
          S.DISMISSED, None, Toxicity.CLEAN, Stance.NEGATIVE, 0.45, [
        ("fb", ItemKind.POST, "Điện tử Hàn Việt tháng này tăng ca liên tục, ngày nào cũng về 9 giờ tối", 3200),
        ("fb", ItemKind.COMMENT, "Hàn Việt tăng ca suốt, mệt lắm rồi", 210),
        ("file", ItemKind.POST, "Công ty Điện tử Hàn Việt tháng này tăng ca liên tục đến 9 giờ tối", 1800),
        ("fb", ItemKind.COMMENT, "tang ca lien tuc o han viet ca thang nay", 140),
        ("file", ItemKind.COMMENT, "Hàn Việt tăng ca liên tục có đúng luật không", 95),
    ], handler=HAN_VIET, dismiss_reason=(
        "Phản ánh đúng thực tế, không phải thông tin sai: đã chuyển sang hộp thư ý kiến người lao "
        "động; Công đoàn cơ sở làm việc với công ty về giờ làm thêm.")),
    Story("elsewhere", "PX", "Tin về công đoàn một huyện khác bị gom nhầm", 29,
          S.DISMISSED, None, Toxicity.CLEAN, Stance.NEUTRAL, 0.22, [
        ("nld", ItemKind.ARTICLE, "Công đoàn một huyện miền Trung chậm chi trợ cấp cho đoàn viên bị mất việc", 15000),
        ("file", ItemKind.POST, "Công đoàn huyện miền Trung chậm chi trợ cấp cho đoàn viên mất việc", 900),
        ("file", ItemKind.POST, "Chậm chi trợ cấp cho đoàn viên mất việc ở một huyện miền Trung", 600),
        ("portal", ItemKind.ARTICLE, "Công đoàn huyện miền Trung chậm chi trợ cấp cho đoàn viên bị mất việc", 4000),
    ], handler=OFFICE, dismiss_reason="Tin về địa phương khác, không liên quan đơn vị trong huyện."),
    Story("tet", "PX-DIENTU-HANVIET", "Tin đồn Điện tử Hàn Việt cắt toàn bộ thưởng Tết 2027", 6,
          S.RESPONSE_PLANNED, None, Toxicity.CLEAN, Stance.NEGATIVE, 0.69, [
        ("fb", ItemKind.POST, "Nghe nói Hàn Việt năm nay cắt toàn bộ thưởng Tết của công nhân, công đoàn không làm gì cả", 9800),
        ("fb", ItemKind.COMMENT, "han viet cat thuong tet that a, buon qua", 420),
        ("file", ItemKind.POST, "Hàn Việt cắt toàn bộ thưởng Tết năm nay của công nhân, công đoàn im lặng", 5600),
        ("fb", ItemKind.COMMENT, "Cắt thưởng Tết thì ăn Tết kiểu gì", 380),
        ("file", ItemKind.COMMENT, "Thưởng Tết Hàn Việt bị cắt hết à mọi người", 240),
        ("fb", ItemKind.COMMENT, "Hàn Việt cắt thưởng Tết toàn bộ công nhân, nghỉ việc thôi", 310),
        ("file", ItemKind.POST, "Tin buồn: Điện tử Hàn Việt cắt toàn bộ thưởng Tết 2027 của công nhân", 3300),
        ("fb", ItemKind.COMMENT, "thuong tet han viet bi cat het roi ae oi", 170),
    ], handler=HAN_VIET, response_kind=ResponseKind.CLARIFICATION),
    Story("housing", "PX", "Clip bịa đặt: Công đoàn thu tiền “chạy” suất nhà ở xã hội cho công nhân", 1.2,
          S.DETECTED, None, Toxicity.OFFENSIVE, Stance.NEGATIVE, 0.83, [
        ("fb", ItemKind.POST, "Muốn mua nhà ở xã hội phải nộp 50 triệu cho công đoàn để được xếp suất, bọn này ăn chặn trắng trợn", 14200),
        ("fb", ItemKind.COMMENT, "nop 50tr cho cong doan moi duoc mua nha o xa hoi, lu an chan", 690),
        ("file", ItemKind.POST, "Mua nhà ở xã hội phải nộp 50 triệu cho công đoàn để được xếp suất, ăn chặn trắng trợn", 7400),
        ("fb", ItemKind.COMMENT, "Công đoàn ăn chặn cả suất nhà ở xã hội của công nhân", 520),
        ("tips_px", ItemKind.TIP, "Clip trên mạng nói phải nộp 50 triệu cho công đoàn để mua nhà ở xã hội, đề nghị xác minh", 0),
        ("file", ItemKind.COMMENT, "nộp 50 triệu cho công đoàn mới được mua nhà ở xã hội thật không", 300),
    ]),
]  # fmt: skip

# Press items found relevant (or not) that joined no story.
LOOSE = [
    ("ld", "Phú Xuyên: trao 350 suất quà Tết Sum vầy cho công nhân lao động khó khăn", True, Stance.POSITIVE, 26),
    ("ld", "Công đoàn ngành Dệt may ký kết thỏa ước lao động tập thể ngành", True, Stance.POSITIVE, 44),
    ("nld", "Hà Nội: hơn 1.200 đoàn viên được hỗ trợ khi mất việc trong năm 2026", True, Stance.POSITIVE, 33),
    ("nld", "Giá vàng hôm nay tăng nhẹ trên thị trường thế giới", False, Stance.NEUTRAL, 15),
    ("ld", "Kết quả bóng đá vòng 12 V-League", False, Stance.NEUTRAL, 9),
    ("portal", "LĐLĐ TP Hà Nội tập huấn kỹ năng truyền thông số cho cán bộ công đoàn cơ sở", True, Stance.POSITIVE, 60),
    ("portal", "Hội nghị tổng kết Tháng Công nhân năm 2026 của LĐLĐ thành phố", True, Stance.POSITIVE, 70),
    ("fb", "Chia sẻ phòng trọ giá rẻ gần khu công nghiệp Phú Xuyên", False, Stance.NEUTRAL, 12),
]  # fmt: skip

SNAPSHOT_HTML = (
    "<article><p><strong>{author}</strong></p><p>{text}</p>"
    "<p><span>{reach} lượt tương tác</span></p></article>"
)


def _say(stdout: Any, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def _user(login: str) -> User | None:
    return User.objects.filter(email=login).first() or User.objects.filter(username=login).first()


def seed(stdout: Any = None) -> None:
    px = Unit.objects.filter(code="PX").first()
    if px is None:
        _say(
            stdout,
            "  (chưa có cây tổ chức Phú Xuyên — bỏ qua theo dõi thông tin; "
            "chạy: congdoan seed-demo --only orgs,monitoring)",
        )
        return
    if Source.objects.filter(unit=px, name=FIRST_SOURCE).exists():
        _say(stdout, "  (đã có nguồn theo dõi của Phú Xuyên — bỏ qua)")
        return
    with transaction.atomic():
        counts = _seed()
    _say(
        stdout,
        f"  Theo dõi thông tin: {counts['sources']} nguồn, {counts['items']} tin, "
        f"{counts['narratives']} luồng thông tin ({counts['handled']} đã xử lý), "
        f"{counts['claims']} thông tin sai đã biết, {counts['tips']} tin báo.",
    )


def _seed() -> dict[str, int]:
    rng = random.Random(18)
    now = timezone.now()
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in={"PX", "PX-MAY-PHUMINH", "PX-DIENTU-HANVIET"})
    }
    office = _user(OFFICE)
    sources = _sources(units, office, now)
    claims = {}
    for key, unit, claim, refutation, active in CLAIMS:
        claims[key] = KnownClaim.objects.create(
            unit=units[unit],
            claim=claim,
            refutation=refutation,
            active=active,
            created_by=office,
            created_at=now - timedelta(days=120),
        )
    n_items = 0
    handled = 0
    for story in STORIES:
        narrative, made = _story(story, units, sources, claims, rng, now)
        n_items += made
        handled += narrative.handled_at is not None
    n_items += _loose(sources, rng, now)
    tips = _tips(units, sources)
    return {
        "sources": len(sources),
        "items": n_items,
        "narratives": len(STORIES),
        "handled": handled,
        "claims": len(claims),
        "tips": tips,
    }


def _sources(units: dict[str, Unit], office: User | None, now: datetime) -> dict[str, Source]:
    out = {}
    for key, unit, name, kind, url, ref, keywords, minutes, errors in SOURCES:
        fetched = now - timedelta(minutes=minutes // 2)
        polled = kind not in (SourceKind.FILE, SourceKind.TIPS)
        out[key] = Source.objects.create(
            unit=units[unit],
            name=name,
            kind=kind,
            url=url,
            external_ref=ref,
            keywords=keywords,
            every_minutes=minutes,
            last_fetched_at=fetched if polled else None,
            last_success_at=(fetched - timedelta(hours=6) if errors else fetched)
            if polled
            else None,
            last_error_at=fetched if errors else None,
            # stored as the fetcher stores it: the msgid and its parameters (shown translated)
            last_error="Quá thời gian chờ (%(seconds)s giây): %(url)s" if errors else "",
            last_error_params={"seconds": 20, "url": url} if errors else {},
            consecutive_errors=errors,
            created_by=office,
            created_at=now - timedelta(days=100),
        )
    out["fb"].watched_units.set([units["PX-MAY-PHUMINH"], units["PX-DIENTU-HANVIET"]])
    return out


AUTHORS = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Thanh Tùng", "Phạm Thu Hà", "Hoàng Minh Đức",
           "Vũ Thị Hạnh", "Đỗ Quang Huy", "Bùi Ngọc Ánh", "Ngô Thị Thảo", "Đặng Văn Long"]  # fmt: skip


def _item(
    source: Source,
    kind: str,
    text: str,
    reach: int,
    at: datetime,
    rng: random.Random,
    **scores: Any,
) -> Item:
    key = content_hash(text)
    external = f"demo-{source.pk}-{key[:16]}"
    press = source.kind == SourceKind.RSS
    return Item.objects.create(
        source=source,
        external_id=external,
        content_hash=key,
        kind=kind,
        url=f"https://{'laodong.vn/cong-doan' if press else 'www.facebook.com/posts'}/{key[:10]}"
        if kind != ItemKind.TIP
        else "",
        title=text[:120] if press else "",
        text=text,
        author="" if press or kind == ItemKind.TIP else rng.choice(AUTHORS),
        published_at=at,
        fetched_at=at + timedelta(minutes=rng.randint(5, 50)),
        reach=reach,
        scored_at=at + timedelta(minutes=55),
        **scores,
    )


def _story(
    story: Story,
    units: dict[str, Unit],
    sources: dict[str, Source],
    claims: dict[str, KnownClaim],
    rng: random.Random,
    now: datetime,
) -> tuple[Narrative, int]:
    # a story starts at its own time of day (not all at the moment the demo was seeded)
    start = now - timedelta(
        days=story.days_ago, hours=rng.randint(0, 8), minutes=rng.randint(0, 59)
    )
    claim = claims.get(story.claim) if story.claim else None
    narrative = Narrative.objects.create(
        unit=units[story.unit],
        title=story.title,
        first_seen_at=start,
        last_seen_at=start,
        risk=story.risk,
        toxicity=story.toxicity,
        stance=story.stance,
        claim=claim,
        detected_at=start + timedelta(hours=1),
    )
    at = start
    items = []
    for n, (key, kind, text, reach) in enumerate(story.texts):
        toxic = story.toxicity != Toxicity.CLEAN and kind != ItemKind.ARTICLE and n % 3 != 2
        refuting = kind == ItemKind.ARTICLE and story.claim is not None
        items.append(
            _item(
                sources[key], kind, text, reach, at, rng,
                relevance=round(rng.uniform(0.72, 0.97), 2),
                relevant=True,
                toxicity=story.toxicity if toxic else Toxicity.CLEAN,
                toxicity_score=round(rng.uniform(0.7, 0.95), 2) if toxic else round(rng.uniform(0.02, 0.2), 2),
                stance=Stance.NEUTRAL if refuting else story.stance,
                stance_score=round(rng.uniform(0.6, 0.9), 2),
                claim=claim if claim and not refuting else None,
                claim_score=round(rng.uniform(0.78, 0.93), 2) if claim and not refuting else None,
                risk=round(max(0.05, story.risk - rng.uniform(0, 0.25)), 2),
                narrative=narrative,
            )
        )  # fmt: skip
        at += timedelta(
            hours=rng.choice([1, 2, 3, 5, 8]) if story.days_ago > 3 else rng.randint(1, 3)
        )
    for item in items[:2]:
        Snapshot.objects.create(
            item=item,
            taken_at=item.fetched_at,
            url=item.url,
            status_code=200,
            text=item.text,
            html=SNAPSHOT_HTML.format(
                author=item.author or item.source.name,
                text=item.text,
                reach=f"{item.reach:,}".replace(",", "."),  # as the page shows it: 15.300
            ),
            sha256=content_hash(item.text) + "0" * 24,
        )
    Narrative.objects.filter(pk=narrative.pk).update(
        last_seen_at=items[-1].published_at,
        item_count=len(items),
        source_count=len({i.source_id for i in items}),
        total_reach=sum(i.reach for i in items),
    )
    narrative.refresh_from_db()
    _handle(story, narrative, claim, now, rng)
    narrative.refresh_from_db()  # _handle writes with UPDATE: the summary reads what it wrote
    return narrative, len(items)


def _event(
    narrative: Narrative,
    author: User | None,
    at: datetime,
    kind: str,
    text: str = "",
    frm: str = "",
    to: str = "",
    said: Any = None,
) -> None:
    """An event of the timeline; what the code writes (``said``) is stored as a message, to be
    shown in the reader's language (`congdoan.monitoring.messages`), as the app stores it."""
    NarrativeEvent.objects.create(
        narrative=narrative, author=author, kind=kind, from_status=frm, to_status=to,
        text=render(said) if said is not None else text, message=said or {}, created_at=at,
    )  # fmt: skip


def _handle(
    story: Story, narrative: Narrative, claim: KnownClaim | None, now: datetime, rng: random.Random
) -> None:
    """The timeline of a story's handling, up to its demo status."""
    handler = _user(story.handler)
    deputy = _user(DEPUTY)
    t = narrative.detected_at
    if narrative.risk >= 0.7:
        emails, _zalo = alerts.recipients(narrative)
        said = message(
            gettext_noop("%(why)s. Đã gửi cảnh báo tới: %(who)s."),
            why=message(gettext_noop("Luồng thông tin mới có mức rủi ro cao")),
            who=", ".join(emails) or message(gettext_noop("không có người nhận")),
        )
        _event(narrative, None, t + timedelta(minutes=10), EventKind.ALERT, said=said)
        Narrative.objects.filter(pk=narrative.pk).update(
            alerted_at=t + timedelta(minutes=10), alerted_item_count=3, alerted_risk=narrative.risk
        )
    if story.status == S.DETECTED:
        return
    deadline = (t + timedelta(days=3)).date()
    assigned = [
        message(gettext_noop("Giao cho %(name)s"), name=handler.get_full_name() if handler else ""),
        message(gettext_noop(", hạn %(date)s"), date=f"{deadline:%d/%m/%Y}"),
    ]
    _event(
        narrative, deputy, _office_hours(t + timedelta(hours=2)), EventKind.ASSIGN, said=assigned
    )
    path: list[str]
    if story.status == S.DISMISSED:
        path = [S.VERIFYING, S.DISMISSED]
    else:
        confirmed = S.CONFIRMED_HOSTILE if story.toxicity != Toxicity.CLEAN else S.CONFIRMED_FALSE
        path = [S.VERIFYING, confirmed, S.RESPONSE_PLANNED]
        if story.status in (S.RESPONDED, S.RESOLVED):
            path.append(S.RESPONDED)
        if story.status == S.RESOLVED:
            path.append(S.RESOLVED)
    frm: str = S.DETECTED
    at = t + timedelta(hours=rng.choice([1, 2, 3, 5]))
    handled_at = resolved_at = None
    notes: dict[str, str] = {
        S.VERIFYING: "Đã đối chiếu với văn bản quy định và hỏi công đoàn cơ sở liên quan.",
        S.CONFIRMED_FALSE: "Xác định là thông tin sai sự thật"
        + (" (trùng thông tin sai đã biết)." if claim else "."),
        S.CONFIRMED_HOSTILE: "Nội dung xúc phạm cán bộ, kích động ngừng việc.",
        S.RESPONSE_PLANNED: "Phương án: " + (ResponseKind(story.response_kind).label if story.response_kind else ""),
        S.RESPONDED: "Đã đăng thông tin trên trang của Công đoàn và gửi nhóm Zalo các công đoàn cơ sở.",
        S.RESOLVED: "Không còn bài mới sau một tuần; kết thúc theo dõi.",
        S.DISMISSED: story.dismiss_reason,
    }  # fmt: skip
    for to in path:
        at = _office_hours(at)
        _event(narrative, handler, at, EventKind.STATUS, str(notes[to]), frm, to)
        if to in (S.RESPONDED, S.DISMISSED) and handled_at is None:
            handled_at = at
        if to == S.RESOLVED:
            resolved_at = at
        frm = to
        at += timedelta(hours=rng.choice([2, 4, 6, 9, 14]) if to != S.RESPONDED else 24 * 6)
    product = (
        Product.objects.filter(title=story.product_title).first() if story.product_title else None
    )
    Narrative.objects.filter(pk=narrative.pk).update(
        status=story.status,
        assignee=handler,
        deadline=deadline
        if story.status != S.RESPONSE_PLANNED
        else (now + timedelta(days=2)).date(),
        response_kind=story.response_kind,
        dismiss_reason=story.dismiss_reason,
        product=product,
        handled_at=handled_at,
        resolved_at=resolved_at,
    )
    if story.status == S.RESPONSE_PLANNED:
        _event(narrative, handler, at, EventKind.NOTE,
               "Đang soạn thông tin làm rõ với phòng nhân sự công ty; đăng trước thứ Sáu.")  # fmt: skip


def _loose(sources: dict[str, Source], rng: random.Random, now: datetime) -> int:
    for key, title, relevant, stance, days in LOOSE:
        _item(
            sources[key], ItemKind.ARTICLE if key != "fb" else ItemKind.POST, title,
            rng.randint(800, 30000), now - timedelta(days=days), rng,
            relevance=round(rng.uniform(0.6, 0.9) if relevant else rng.uniform(0.01, 0.2), 2),
            relevant=relevant, toxicity=Toxicity.CLEAN, toxicity_score=0.03, stance=stance,
            stance_score=0.7, risk=round(rng.uniform(0.05, 0.2) if relevant else 0.01, 2),
        )  # fmt: skip
    return len(LOOSE)


def _office_hours(at: datetime) -> datetime:
    """An officer's step in the night moves to 7 am (the same minute); never later than now."""
    hour = timezone.localtime(at).hour
    later = at + timedelta(hours=7 - hour if hour < 7 else 31 - hour if hour >= 22 else 0)
    return later if later <= timezone.now() else at


def _awake(at: datetime) -> datetime:
    """A person sends a tip about a post seen in the night when they wake up (6 am), not at
    2 am; never later than now."""
    hour = timezone.localtime(at).hour
    later = at + timedelta(hours=6 - hour if hour < 6 else 30 - hour if hour >= 23 else 0)
    return later if later <= timezone.now() else at


def _tips(units: dict[str, Unit], sources: dict[str, Source]) -> int:
    """The tips behind the tip items of the stories: a member of May Phú Minh (to her union),
    the union's chair (to the district)."""
    reporters = {"tips_pm": _user(MEMBER), "tips_px": _user(PHU_MINH)}
    made = 0
    for key in ("tips_pm", "tips_px"):
        for item in Item.objects.filter(source=sources[key], kind=ItemKind.TIP):
            sent = _awake(item.published_at or item.fetched_at)
            Item.objects.filter(pk=item.pk).update(published_at=sent)  # the tip is the item
            Tip.objects.create(
                unit=sources[key].unit,
                reporter=reporters[key],
                channel=TipChannel.WEB if made % 2 == 0 else TipChannel.ZALO,
                text=item.text,
                created_at=sent,
                item=item,
            )
            made += 1
    return made
