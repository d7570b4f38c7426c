"""Demo of the legal questions (issue 16): the Labour Code and its decrees, the union's curated
answers, and two months of questions workers asked.

- The laws come from the Pháp điển file in ../shared/datasets (`CONGDOAN_DATASETS`), imported
  as `congdoan legal import` would; without it one line says how to import laws, and the rest
  is skipped (answers cite articles). Embeddings are left to the background worker (never
  computed here, so the demo stays quick).
- About a dozen answers of LĐLĐ huyện Phú Xuyên and two of CĐCS May Phú Minh, each read
  against the articles it cites: leave, overtime, documents kept by the employer, probation,
  notice, severance, maternity, holidays, personal leave, wage payment and deductions, the
  2026 minimum wage, the retirement age. All published except one draft; one is flagged for
  review, so the officers' page shows every state.
- The district's Q&A product on Tết holidays cites Điều 112 (its public page shows "Căn cứ
  pháp lý").
- Sixty-odd questions over the last 60 days: some asked again in other words, some with no
  curated answer (social insurance, sick leave, meal allowance…), some marked "not helpful",
  so "Câu hỏi chưa có câu trả lời tốt" has something to say.

Idempotent: an answer whose question its unit already has is skipped, and the questions are
written once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.content.models import Product
from congdoan.legal import selectors, services
from congdoan.legal.models import Article, AskedQuestion, CuratedAnswer, Law
from congdoan.legal.parsing import LawFormatError, parse_phap_dien
from congdoan.legal.services.questions import mask, question_key
from congdoan.orgs.models import Unit
from congdoan.text.datasets import datasets_dir

DATASET = Path("labour_code_2019") / "phap_dien_20.2_lao_dong.md"
SOURCE = "Pháp điển đề mục 20.2"
CODE = "45/2019/QH14"
MIN_WAGE = "293/2025/NĐ-CP"
RETIREMENT = "135/2020/NĐ-CP"
OFFICE_LOGIN = "vanphong@ldldphuxuyen.vn"
GRASSROOTS_LOGIN = "cdcs.mayphuminh@gmail.com"
GRASSROOTS = "PX-MAY-PHUMINH"


@dataclass
class DemoAnswer:
    key: str  # how the questions below name it
    question: str
    variants: list[str]
    answer: str
    cites: list[tuple[str, str, str]]  # (law id, article, clause)
    days_ago: int
    unit: str = "PX"
    draft: bool = False
    review_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


ANSWERS: list[DemoAnswer] = [
    DemoAnswer(
        "phep-nam",
        "Nghỉ phép năm được bao nhiêu ngày?",
        [
            "nghi phep nam duoc bao nhieu ngay",
            "Một năm được nghỉ phép mấy ngày?",
            "Làm chưa đủ năm có được nghỉ phép không?",
            "Phép năm không nghỉ hết có được trả tiền không?",
        ],
        "Làm đủ 12 tháng cho một công ty, bạn được nghỉ hằng năm (nghỉ phép năm) và hưởng "
        "nguyên lương: 12 ngày làm việc nếu làm công việc bình thường; 14 ngày nếu là người "
        "chưa thành niên, người khuyết tật hoặc làm nghề nặng nhọc, độc hại, nguy hiểm; 16 ngày "
        "nếu làm nghề đặc biệt nặng nhọc, độc hại, nguy hiểm.\n"
        "Làm chưa đủ 12 tháng thì số ngày nghỉ tính theo tỷ lệ số tháng đã làm. Cứ đủ 5 năm "
        "làm cho cùng một công ty, bạn được cộng thêm 1 ngày.\n"
        "Khi thôi việc hoặc mất việc mà chưa nghỉ hết số ngày phép, công ty phải trả tiền lương "
        "cho những ngày chưa nghỉ.",
        [(CODE, "113", "1"), (CODE, "113", "2"), (CODE, "113", "3"), (CODE, "114", "")],
        80,
    ),
    DemoAnswer(
        "lam-them",
        "Làm thêm giờ được trả lương thế nào?",
        [
            "lam them gio tinh luong the nao",
            "Tăng ca ngày chủ nhật được trả bao nhiêu phần trăm?",
            "Một tháng được làm thêm tối đa bao nhiêu giờ?",
        ],
        "Làm thêm giờ phải được bạn đồng ý. Tiền lương giờ làm thêm ít nhất bằng: 150% lương "
        "giờ bình thường nếu làm vào ngày thường; 200% nếu làm vào ngày nghỉ hằng tuần (thường "
        "là Chủ nhật); 300% nếu làm vào ngày lễ, Tết, ngày nghỉ có hưởng lương (người hưởng "
        "lương ngày còn được trả thêm tiền lương của ngày lễ đó). Làm thêm vào ban đêm được "
        "trả thêm nữa.\n"
        "Số giờ làm thêm không quá 50% số giờ làm việc bình thường trong ngày, không quá 40 giờ "
        "một tháng và 200 giờ một năm; riêng một số ngành như dệt may, da giày, điện tử được "
        "làm thêm đến 300 giờ một năm.",
        [(CODE, "98", "1"), (CODE, "98", "3"), (CODE, "107", "2"), (CODE, "107", "3")],
        78,
    ),
    DemoAnswer(
        "giay-to-goc",
        "Công ty giữ bằng gốc, căn cước của người lao động có đúng không?",
        [
            "công ty giữ bằng gốc của em có đúng không",
            "cong ty giu can cuoc cong dan cua toi",
            "Vào làm có phải nộp tiền đặt cọc không?",
        ],
        "Không đúng. Bộ luật Lao động cấm người sử dụng lao động giữ bản chính giấy tờ tùy "
        "thân (căn cước, hộ chiếu), văn bằng, chứng chỉ của người lao động, và cấm bắt người "
        "lao động đặt cọc tiền hay tài sản để được ký hoặc thực hiện hợp đồng.\n"
        "Bạn có quyền đề nghị công ty trả lại bản chính ngay. Nếu công ty không trả, hãy báo "
        "công đoàn cơ sở hoặc gửi ý kiến cho Liên đoàn Lao động huyện để được giúp.",
        [(CODE, "17", "1"), (CODE, "17", "2")],
        75,
    ),
    DemoAnswer(
        "thu-viec",
        "Thử việc tối đa bao lâu, lương thử việc bao nhiêu?",
        [
            "thu viec may thang",
            "Lương thử việc được bao nhiêu phần trăm?",
            "Công nhân may thử việc mấy ngày?",
        ],
        "Thời gian thử việc do hai bên thỏa thuận, chỉ được thử việc một lần cho một công việc "
        "và không quá: 180 ngày với người quản lý doanh nghiệp; 60 ngày với công việc cần "
        "trình độ cao đẳng trở lên; 30 ngày với công việc cần trình độ trung cấp, công nhân kỹ "
        "thuật, nhân viên nghiệp vụ; 6 ngày làm việc với công việc khác (như lao động phổ "
        "thông).\n"
        "Lương thử việc do hai bên thỏa thuận nhưng ít nhất bằng 85% mức lương của công việc "
        "đó.",
        [(CODE, "25", ""), (CODE, "26", "")],
        70,
    ),
    DemoAnswer(
        "bao-truoc",
        "Muốn nghỉ việc phải báo trước bao nhiêu ngày?",
        [
            "nghi viec bao truoc bao nhieu ngay",
            "Hợp đồng 1 năm muốn nghỉ phải báo trước mấy ngày?",
            "Khi nào được nghỉ việc ngay không cần báo trước?",
        ],
        "Bạn có quyền tự nghỉ việc (đơn phương chấm dứt hợp đồng) nhưng phải báo trước: ít "
        "nhất 45 ngày nếu hợp đồng không xác định thời hạn; ít nhất 30 ngày nếu hợp đồng từ 12 "
        "đến 36 tháng; ít nhất 3 ngày làm việc nếu hợp đồng dưới 12 tháng.\n"
        "Bạn được nghỉ ngay, không cần báo trước, nếu: bị trả lương không đủ hoặc không đúng "
        "hạn; bị ngược đãi, đánh đập, nhục mạ hoặc cưỡng bức lao động; bị quấy rối tình dục tại "
        "nơi làm việc; không được bố trí đúng công việc, địa điểm, điều kiện làm việc đã thỏa "
        "thuận; lao động nữ mang thai phải nghỉ việc theo chỉ định của cơ sở y tế; đủ tuổi "
        "nghỉ hưu; hoặc công ty đã cung cấp thông tin không trung thực khi ký hợp đồng.\n"
        "Nên báo bằng văn bản và giữ lại một bản có chữ ký nhận của công ty.",
        [(CODE, "35", "1"), (CODE, "35", "2")],
        66,
    ),
    DemoAnswer(
        "tro-cap-thoi-viec",
        "Nghỉ việc có được trợ cấp thôi việc không?",
        [
            "tro cap thoi viec tinh the nao",
            "Làm 3 năm nghỉ việc được bao nhiêu tiền trợ cấp?",
        ],
        "Khi hợp đồng chấm dứt đúng luật (hết hạn hợp đồng, hai bên thỏa thuận, bạn tự nghỉ "
        "đúng luật, công ty cho nghỉ đúng luật…) và bạn đã làm thường xuyên cho công ty từ đủ "
        "12 tháng trở lên, công ty trả trợ cấp thôi việc: mỗi năm làm việc được nửa tháng tiền "
        "lương.\n"
        "Thời gian tính trợ cấp là thời gian làm việc thực tế trừ đi thời gian đã đóng bảo hiểm "
        "thất nghiệp và thời gian đã được trả trợ cấp trước đó; vì vậy người đóng bảo hiểm "
        "thất nghiệp đủ thì nhận trợ cấp thất nghiệp từ bảo hiểm thay cho phần này. Tiền lương "
        "để tính là lương bình quân theo hợp đồng của 6 tháng liền trước khi nghỉ.\n"
        "Không có trợ cấp thôi việc nếu bạn đủ điều kiện hưởng lương hưu, hoặc bị cho nghỉ vì "
        "tự ý bỏ việc từ 5 ngày làm việc liên tục trở lên không có lý do chính đáng.",
        [(CODE, "46", "1"), (CODE, "46", "2"), (CODE, "46", "3")],
        61,
    ),
    DemoAnswer(
        "thai-san",
        "Nghỉ thai sản được bao lâu?",
        ["nghi de duoc may thang", "Sinh đôi được nghỉ thai sản bao lâu?"],
        "Lao động nữ được nghỉ thai sản trước và sau khi sinh 6 tháng, trong đó nghỉ trước khi "
        "sinh không quá 2 tháng. Sinh đôi trở lên thì từ con thứ hai, mỗi con được nghỉ thêm 1 "
        "tháng. Trong thời gian này bạn hưởng chế độ thai sản theo Luật Bảo hiểm xã hội.\n"
        "Hết 6 tháng, nếu cần, bạn có thể thỏa thuận với công ty nghỉ thêm không hưởng lương. "
        "Muốn đi làm sớm thì phải nghỉ ít nhất 4 tháng, báo trước, được công ty đồng ý và có "
        "xác nhận của cơ sở y tế rằng đi làm sớm không hại sức khỏe; khi đó bạn vừa nhận lương "
        "vừa tiếp tục nhận trợ cấp thai sản.\n"
        "Lao động nam có vợ sinh con cũng được nghỉ hưởng chế độ thai sản theo Luật Bảo hiểm "
        "xã hội.",
        [(CODE, "139", "1"), (CODE, "139", "3"), (CODE, "139", "4"), (CODE, "139", "5")],
        57,
    ),
    DemoAnswer(
        "nghi-le",
        "Một năm được nghỉ lễ, Tết những ngày nào?",
        ["Tết được nghỉ mấy ngày?", "di lam ngay le duoc tra bao nhieu"],
        "Người lao động được nghỉ làm việc, hưởng nguyên lương trong các ngày lễ, Tết: Tết "
        "Dương lịch 1 ngày (1/1); Tết Âm lịch 5 ngày; Ngày Chiến thắng 1 ngày (30/4); Ngày Quốc "
        "tế lao động 1 ngày (1/5); Quốc khánh 2 ngày (2/9 và 1 ngày liền kề trước hoặc sau); "
        "Giỗ Tổ Hùng Vương 1 ngày (10/3 âm lịch). Ngày nghỉ cụ thể của Tết Âm lịch và Quốc "
        "khánh do Thủ tướng quyết định hằng năm.\n"
        "Nếu phải đi làm vào ngày lễ, Tết, tiền lương ít nhất bằng 300% (người hưởng lương ngày "
        "còn được trả thêm tiền lương của ngày lễ đó).",
        [(CODE, "112", "1"), (CODE, "112", "3"), (CODE, "98", "1")],
        52,
    ),
    DemoAnswer(
        "viec-rieng",
        "Cưới hỏi, có người nhà mất được nghỉ mấy ngày?",
        ["cuoi duoc nghi may ngay", "Bố mất được nghỉ mấy ngày có lương?"],
        "Bạn được nghỉ việc riêng mà vẫn hưởng nguyên lương, và phải báo cho công ty: bản thân "
        "kết hôn nghỉ 3 ngày; con đẻ, con nuôi kết hôn nghỉ 1 ngày; cha, mẹ (đẻ hoặc nuôi) của "
        "mình hoặc của vợ, chồng mất, vợ hoặc chồng mất, con mất: nghỉ 3 ngày.\n"
        "Ông bà nội, ngoại, anh chị em ruột mất; cha hoặc mẹ kết hôn; anh chị em ruột kết hôn: "
        "được nghỉ 1 ngày không hưởng lương (phải báo cho công ty). Ngoài ra bạn có thể thỏa "
        "thuận với công ty để nghỉ không hưởng lương.",
        [(CODE, "115", "1"), (CODE, "115", "2"), (CODE, "115", "3")],
        47,
    ),
    DemoAnswer(
        "tra-luong-cham",
        "Công ty trả lương chậm thì người lao động được gì?",
        ["cong ty no luong 2 thang", "Lương trả chậm có được đền bù không?"],
        "Người hưởng lương tháng được trả một tháng một lần hoặc nửa tháng một lần, vào một "
        "ngày cố định do hai bên thỏa thuận.\n"
        "Chỉ khi gặp lý do bất khả kháng mà đã tìm mọi cách khắc phục, công ty mới được trả "
        "chậm, nhưng không quá 30 ngày; chậm từ 15 ngày trở lên thì phải đền bù cho bạn ít nhất "
        "bằng tiền lãi của số tiền trả chậm (theo lãi suất tiền gửi kỳ hạn 1 tháng của ngân hàng "
        "nơi công ty mở tài khoản trả lương).\n"
        "Bị trả lương không đủ hoặc không đúng hạn (ngoài trường hợp bất khả kháng nói trên), "
        "bạn có quyền nghỉ việc không cần báo trước. Hãy báo ngay cho công đoàn để công đoàn "
        "làm việc với công ty.",
        [(CODE, "97", "2"), (CODE, "97", "4"), (CODE, "35", "2")],
        42,
    ),
    DemoAnswer(
        "tru-luong",
        "Công ty phạt tiền, trừ lương khi đi muộn có đúng không?",
        ["di muon bi tru luong co dung khong", "Làm hỏng hàng bị trừ lương bao nhiêu?"],
        "Công ty không được phạt tiền, cắt lương thay cho việc xử lý kỷ luật lao động. Vi phạm "
        "nội quy (như đi muộn) chỉ có thể bị xử lý kỷ luật theo đúng trình tự, không được phạt "
        "bằng tiền.\n"
        "Công ty chỉ được khấu trừ lương để bồi thường khi bạn làm hư hỏng dụng cụ, thiết bị, "
        "tài sản của công ty theo quy định về bồi thường thiệt hại. Bạn có quyền được biết lý "
        "do bị khấu trừ, và mỗi tháng không được trừ quá 30% tiền lương thực trả sau khi đã trừ "
        "bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp và thuế thu nhập cá nhân.",
        [(CODE, "102", "1"), (CODE, "102", "2"), (CODE, "102", "3"), (CODE, "127", "2")],
        36,
    ),
    DemoAnswer(
        "luong-toi-thieu",
        "Lương tối thiểu vùng năm 2026 là bao nhiêu?",
        ["luong toi thieu vung 2026", "Lương cơ bản thấp hơn lương tối thiểu có đúng không?"],
        "Từ ngày 1/1/2026, lương tối thiểu tháng theo vùng là: vùng I 5.310.000 đồng; vùng II "
        "4.730.000 đồng; vùng III 4.140.000 đồng; vùng IV 3.700.000 đồng. Lương tối thiểu giờ "
        "lần lượt là 25.500, 22.700, 20.000 và 17.800 đồng.\n"
        "Công ty hoạt động ở vùng nào thì áp dụng mức của vùng đó; công ty trong khu công "
        "nghiệp nằm trên nhiều địa bàn thì áp dụng mức cao nhất. Người làm đủ giờ trong tháng "
        "và hoàn thành định mức thì lương theo công việc không được thấp hơn mức tối thiểu. Nếu "
        "chưa rõ công ty mình thuộc vùng nào, hãy hỏi công đoàn cơ sở.",
        [(MIN_WAGE, "3", "1"), (MIN_WAGE, "3", "3"), (MIN_WAGE, "4", "1")],
        30,
        review_reason="Danh mục địa bàn vùng của Nghị định 293/2025/NĐ-CP theo đơn vị hành chính "
        "mới: kiểm tra lại vùng của các xã thuộc huyện Phú Xuyên cũ trước khi nêu cụ thể.",
    ),
    DemoAnswer(
        "tuoi-nghi-huu",
        "Năm 2026 bao nhiêu tuổi thì được nghỉ hưu?",
        ["tuoi nghi huu nam 2026", "Nữ bao nhiêu tuổi được nghỉ hưu?"],
        "Tuổi nghỉ hưu trong điều kiện lao động bình thường đang tăng dần theo lộ trình, đến 62 "
        "tuổi với nam (năm 2028) và 60 tuổi với nữ (năm 2035). Người nghỉ hưu trong năm 2026: "
        "nam đủ 61 tuổi 6 tháng, nữ đủ 57 tuổi.\n"
        "Người bị suy giảm khả năng lao động, làm nghề nặng nhọc, độc hại, nguy hiểm hoặc làm "
        "việc ở vùng đặc biệt khó khăn có thể nghỉ hưu sớm hơn, nhưng không quá 5 tuổi. Để "
        "hưởng lương hưu còn cần đủ thời gian đóng bảo hiểm xã hội.",
        [(CODE, "169", "1"), (CODE, "169", "2"), (CODE, "169", "3"), (RETIREMENT, "4", "2")],
        24,
    ),
    DemoAnswer(
        "thu-viec-lai",
        "Hết thử việc công ty bắt thử việc tiếp có đúng không?",
        ["thu viec 2 lan co dung khong"],
        "Không đúng: mỗi công việc chỉ được thử việc một lần. Hết thời gian thử việc, công ty "
        "phải báo kết quả; nếu đạt thì ký hợp đồng lao động (hoặc tiếp tục hợp đồng đã ký).",
        [(CODE, "25", ""), (CODE, "27", "")],
        6,
        draft=True,
    ),
    # CĐCS May Phú Minh: what its members ask about their own company
    DemoAnswer(
        "ca-dem-phu-minh",
        "Làm ca đêm ở xưởng may được trả thêm bao nhiêu?",
        ["lam ca dem duoc tra them bao nhieu", "Tăng ca ban đêm tính lương thế nào?"],
        "Giờ làm ban đêm (từ 22 giờ đến 6 giờ sáng) được trả thêm ít nhất 30% tiền lương của "
        "giờ làm ban ngày. Nếu đó là giờ làm thêm vào ban đêm thì ngoài tiền làm thêm (150%, "
        "200% hoặc 300%) và 30% ca đêm, bạn còn được trả thêm 20% tiền lương giờ làm ban ngày "
        "của ngày đó (ngày thường, ngày nghỉ hằng tuần hay ngày lễ).\n"
        "Bảng lương ca đêm của công ty dán ở bảng tin nhà ăn; thấy chưa đúng, bạn báo tổ "
        "trưởng công đoàn của xưởng.",
        [(CODE, "98", "2"), (CODE, "98", "3"), (CODE, "106", "")],
        40,
        unit=GRASSROOTS,
    ),
    DemoAnswer(
        "ngay-tra-luong-phu-minh",
        "Công ty May Phú Minh trả lương vào ngày nào?",
        ["may phu minh tra luong ngay nao"],
        "Theo thỏa ước lao động tập thể của công ty, lương tháng được trả một lần vào ngày 10 "
        "tháng sau qua tài khoản ngân hàng; trùng ngày nghỉ thì trả vào ngày làm việc liền "
        "trước. Luật cho phép trả một tháng một lần hoặc nửa tháng một lần vào một ngày cố "
        "định; nếu đến ngày 10 chưa nhận được lương, hãy báo ngay Ban chấp hành công đoàn.",
        [(CODE, "97", "2")],
        33,
        unit=GRASSROOTS,
    ),
]

# (text, the answer it found or None, helpful: True / False / None, how many days ago)
QUESTIONS: list[tuple[str, str | None, bool | None, float]] = [
    ("nghi phep nam duoc bao nhieu ngay", "phep-nam", True, 58),
    ("Một năm được nghỉ phép mấy ngày?", "phep-nam", True, 51),
    ("làm 7 tháng có được nghỉ phép năm không", "phep-nam", None, 44),
    ("phép năm không nghỉ hết có được trả tiền không", "phep-nam", True, 29),
    ("nghỉ phép năm được bao nhiêu ngày", "phep-nam", None, 12),
    ("lam 6 nam duoc them may ngay phep", "phep-nam", None, 3),
    ("lam them gio tinh luong the nao", "lam-them", True, 56),
    ("Làm chủ nhật được trả bao nhiêu phần trăm lương?", "lam-them", None, 41),
    ("tăng ca ngày lễ tính lương thế nào", "lam-them", True, 27),
    ("một tháng được làm thêm tối đa bao nhiêu giờ", "lam-them", None, 15),
    ("tang ca 4 tieng moi ngay co dung luat khong", "lam-them", False, 7),
    ("công ty giữ bằng gốc của em có đúng không", "giay-to-goc", True, 53),
    ("cong ty giu can cuoc cong dan cua em", "giay-to-goc", True, 33),
    ("vào làm phải nộp tiền đặt cọc có đúng không", "giay-to-goc", None, 9),
    ("thử việc mấy tháng", "thu-viec", None, 48),
    ("luong thu viec bao nhieu phan tram", "thu-viec", True, 22),
    ("thử việc 2 lần có đúng không", None, None, 18),
    ("thu viec 2 lan co dung khong", None, None, 4),
    ("nghỉ việc phải báo trước bao nhiêu ngày", "bao-truoc", True, 50),
    ("nghi viec khong bao truoc co sao khong", "bao-truoc", None, 31),
    ("hợp đồng 1 năm muốn nghỉ báo trước mấy ngày", "bao-truoc", True, 11),
    ("trợ cấp thôi việc tính thế nào", "tro-cap-thoi-viec", None, 46),
    ("nghi viec co duoc tro cap khong", "tro-cap-thoi-viec", False, 26),
    ("làm 3 năm nghỉ việc được bao nhiêu tiền", "tro-cap-thoi-viec", False, 8),
    ("nghỉ đẻ được mấy tháng", "thai-san", True, 55),
    ("nghi thai san bao lau", "thai-san", None, 35),
    ("chồng được nghỉ mấy ngày khi vợ sinh", "thai-san", False, 19),
    ("chong duoc nghi may ngay khi vo sinh", "thai-san", False, 5),
    ("Tết được nghỉ mấy ngày", "nghi-le", True, 52),
    ("nghỉ lễ 30/4 1/5 có được hưởng lương không", "nghi-le", None, 38),
    ("đi làm ngày lễ được trả bao nhiêu", "nghi-le", None, 14),
    ("cưới được nghỉ mấy ngày", "viec-rieng", True, 43),
    ("bo mat duoc nghi may ngay", "viec-rieng", None, 24),
    ("ông bà mất có được nghỉ không", "viec-rieng", None, 6),
    ("công ty trả lương chậm", "tra-luong-cham", None, 49),
    ("cong ty no luong 2 thang", "tra-luong-cham", True, 28),
    ("lương trả chậm có được đền bù không", "tra-luong-cham", None, 10),
    ("đi muộn bị trừ lương có đúng không", "tru-luong", True, 40),
    ("cong ty phat tien khi lam hong hang", "tru-luong", None, 21),
    ("lương tối thiểu vùng 2026", "luong-toi-thieu", True, 30),
    ("luong toi thieu vung bao nhieu", "luong-toi-thieu", None, 16),
    ("lương cơ bản thấp hơn lương tối thiểu", "luong-toi-thieu", False, 2),
    ("nữ bao nhiêu tuổi được nghỉ hưu", "tuoi-nghi-huu", True, 23),
    ("tuoi nghi huu nam 2026", "tuoi-nghi-huu", None, 13),
    ("lam ca dem duoc tra them bao nhieu", "ca-dem-phu-minh", True, 37),
    # nothing curated answers these yet: what officers should write next
    ("công ty không đóng bảo hiểm xã hội", None, None, 57),
    ("cong ty khong dong bao hiem xa hoi", None, None, 39),
    ("Công ty không đóng bảo hiểm xã hội cho em", None, None, 20),
    ("cty khong dong bhxh", None, None, 1.5),
    ("làm sao biết công ty có đóng bảo hiểm cho mình không", None, None, 17),
    ("bị sa thải khi đang mang thai", None, None, 45),
    ("bi sa thai khi dang mang thai", None, None, 12.5),
    ("tiền ăn ca bao nhiêu", None, None, 34),
    ("tien an ca bao nhieu", None, None, 9.5),
    ("có được nghỉ giữa ca không", None, None, 32),
    ("co duoc nghi giua ca khong", None, None, 2.5),
    ("công ty bắt làm 12 tiếng một ngày", None, None, 25),
    ("bị tai nạn trên đường đi làm có được bồi thường không", None, None, 42),
    ("bi tai nan tren duong di lam co duoc boi thuong khong", None, None, 11.5),
    ("hợp đồng thời vụ ký mấy lần", None, None, 27.5),
    ("nghỉ ốm có được trả lương không", None, None, 36),
    ("nghi om co duoc tra luong khong", None, None, 0.5),
]


def _say(stdout: Any, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def _import_laws(stdout: Any) -> bool:
    """The Labour Code and its decrees from the Pháp điển file, once; whether it is there."""
    if Law.objects.filter(law_id=CODE).exists():
        return True
    path = datasets_dir() / DATASET
    if not path.exists():
        _say(
            stdout,
            f"  Chưa có văn bản pháp luật ({path} không có): nhập bằng "
            "`congdoan legal import FILE`, rồi chạy lại `congdoan seed-demo`.",
        )
        return False
    try:
        parsed = parse_phap_dien(path.read_text(encoding="utf-8"))
    except (LawFormatError, UnicodeDecodeError) as error:
        _say(stdout, f"  Không đọc được {path.name}: {error}")
        return False
    backend = str(settings.TASKS["default"]["BACKEND"])
    # Embeddings go to the worker; an "immediate" backend (tests) would compute them here.
    report = services.import_laws(parsed, source=SOURCE, embed_later="Immediate" not in backend)
    _say(stdout, f"  Đã nhập {len(report.laws)} văn bản, {report.articles} điều ({SOURCE}).")
    return Law.objects.filter(law_id=CODE).exists()


def _cited(demo: DemoAnswer) -> list[tuple[Article, str]]:
    """The articles an answer cites that are imported (a clause the text lacks is dropped)."""
    out = []
    for law_id, number, clause in demo.cites:
        article = selectors.find_article(law_id, number)
        if article is None:
            continue
        version = article.version_on()
        clauses = {str(c.get("number", "")) for c in (version.clauses if version else [])}
        out.append((article, clause if clause in clauses else ""))
    return out


def _answers(now: datetime) -> dict[str, CuratedAnswer]:
    units = {u.code: u for u in Unit.objects.filter(code__in={a.unit for a in ANSWERS})}
    office = User.objects.filter(email=OFFICE_LOGIN).first()
    grassroots = User.objects.filter(email=GRASSROOTS_LOGIN).first()
    written: dict[str, CuratedAnswer] = {}
    for demo in ANSWERS:
        unit = units.get(demo.unit)
        actor = grassroots if demo.unit == GRASSROOTS else office
        if unit is None or actor is None:
            continue
        existing = CuratedAnswer.objects.filter(unit=unit, question=demo.question).first()
        if existing is not None:
            written[demo.key] = existing
            continue
        cited = _cited(demo)
        if not cited:
            continue
        row = services.answer_create(
            actor=actor,
            unit=unit,
            question=demo.question,
            answer=demo.answer,
            variants="\n".join(demo.variants),
            cited=cited,
            publish=not demo.draft,
        )
        when = now - timedelta(days=demo.days_ago, hours=3)
        CuratedAnswer.objects.filter(pk=row.pk).update(
            created_at=when,
            updated_at=when + timedelta(hours=2),
            published_at=None if demo.draft else when + timedelta(hours=2),
            needs_review=bool(demo.review_reason),
            review_reason=demo.review_reason[:500],
        )
        written[demo.key] = row
    return written


def _questions(now: datetime, answers: dict[str, CuratedAnswer]) -> int:
    if AskedQuestion.objects.filter(text=QUESTIONS[0][0]).exists():
        return 0
    rng = random.Random(16)
    top = {
        key: row.citations.values_list("article_id", flat=True).first()
        for key, row in answers.items()
    }
    rows = []
    for text, key, helpful, days in QUESTIONS:
        answer = answers.get(key) if key else None
        if answer is not None and answer.status != "published":
            answer = None
        masked = mask(text)[:500]
        rows.append(
            AskedQuestion(
                text=masked,
                key=question_key(masked),
                asked_at=now - timedelta(days=days, minutes=rng.randint(0, 600)),
                top_article_id=top.get(key) if key else None,
                top_score=round(rng.uniform(9.0, 18.0), 2)
                if answer
                else round(rng.uniform(2.0, 6.0), 2),
                answer=answer,
                confident=answer is not None,
                helpful=helpful if answer is not None else None,
            )
        )
    AskedQuestion.objects.bulk_create(rows)
    return len(rows)


# Demo products (congdoan_dev/demo/content.py) and the articles they rest on.
PRODUCT_CITATIONS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Hỏi - đáp: Người lao động được nghỉ Tết Âm lịch mấy ngày?",
        [(CODE, "112", "1"), (CODE, "112", "3"), (CODE, "98", "1")],
    ),
]


def _cite_products() -> int:
    """The district's Q&A product cites the articles it explains (shown on its public page)."""
    office = User.objects.filter(email=OFFICE_LOGIN).first()
    done = 0
    for title, cites in PRODUCT_CITATIONS:
        product = Product.objects.filter(title=title).select_related("unit").first()
        if product is None or office is None:
            continue
        for article, clause in _cited(DemoAnswer("", title, [], "", cites, 0)):
            services.cite(
                actor=office, target=product, article=article, clause=clause, unit=product.unit
            )
            done += 1
    return done


def seed(stdout: Any = None) -> None:
    if not _import_laws(stdout):
        return
    now = timezone.now()
    with transaction.atomic():
        answers = _answers(now)
        asked = _questions(now, answers)
        _cite_products()
    _say(stdout, f"  {len(answers)} câu trả lời pháp luật, {asked} câu hỏi của người lao động.")
