"""Demo contests of LĐLĐ huyện Phú Xuyên (issue 17).

- The Workers' Month contest "Tìm hiểu pháp luật lao động" of May 2026 (in the past): two
  rounds (1–15 and 16–31 May), 10 questions an attempt drawn from four topics, 15 minutes, a
  bank of 44 questions on the Labour Code 2019 and the union (each with its article), a few
  hundred members of the grassroots unions taking part at rates that differ from union to
  union, a prediction tie-break, three attempts with identical answers and one impossibly fast
  flagged and reviewed, prizes by rank (Nhất, Nhì, Ba, Khuyến khích) and by unit, results
  published, certificates issued to the winners.
- "Tìm hiểu Luật Công đoàn năm 2024", open now for a month (published, no attempt yet), so the
  participant's pages have something to take.

Written through the services where an officer would act (contest, rounds, questions, prizes,
publish, results, certificates: audited as the district's office), the attempts directly (the
participants' side), each scored by `scoring.score_attempt`. Idempotent: a contest whose slug
exists is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Option,
    Participant,
    PrizeKind,
    Question,
    ReviewOutcome,
    Round,
    Topic,
)
from congdoan.contests.services import abuse, certificates, contests, prizes, scoring
from congdoan.contests.services.contests import OptionInput
from congdoan.orgs.models import Member, Unit

OFFICE_LOGIN = "vanphong@ldldphuxuyen.vn"
PAST_SLUG = "tim-hieu-phap-luat-lao-dong-2026"
OPEN_SLUG = "tim-hieu-luat-cong-doan-2024"

CONTRACT = "Hợp đồng lao động"
WAGES = "Tiền lương, thời giờ làm việc"
REST = "Nghỉ ngơi, lao động nữ"
UNION = "Công đoàn, đối thoại, tranh chấp"

# (topic, question, options, correct letters, explanation)
BANK: list[tuple[str, str, list[str], str, str]] = [
    (
        CONTRACT,
        "Theo Bộ luật Lao động năm 2019, hợp đồng lao động gồm những loại nào?",
        [
            "Hợp đồng không xác định thời hạn và hợp đồng xác định thời hạn",
            "Hợp đồng theo mùa vụ và hợp đồng không xác định thời hạn",
            "Hợp đồng xác định thời hạn, theo mùa vụ và theo công việc",
            "Chỉ có hợp đồng xác định thời hạn",
        ],
        "A",
        "Điều 20 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Hợp đồng lao động xác định thời hạn có thời hạn tối đa bao lâu?",
        ["12 tháng", "24 tháng", "36 tháng", "60 tháng"],
        "C",
        "Điểm b khoản 1 Điều 20 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Hợp đồng lao động có thể được giao kết bằng những hình thức nào?",
        [
            "Văn bản, làm thành 02 bản",
            "Phương tiện điện tử dưới dạng thông điệp dữ liệu",
            "Lời nói, với hợp đồng có thời hạn dưới 01 tháng (trừ một số trường hợp)",
            "Chỉ bằng văn bản có công chứng",
        ],
        "A, B, C",
        "Điều 14 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Thời gian thử việc tối đa đối với công việc có chức danh nghề nghiệp cần trình độ cao đẳng trở lên là bao nhiêu?",
        ["30 ngày", "60 ngày", "90 ngày", "180 ngày"],
        "B",
        "Khoản 2 Điều 25 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Thời gian thử việc tối đa đối với công việc của người quản lý doanh nghiệp là bao nhiêu?",
        ["60 ngày", "90 ngày", "120 ngày", "180 ngày"],
        "D",
        "Khoản 1 Điều 25 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Tiền lương của người lao động trong thời gian thử việc ít nhất bằng bao nhiêu phần trăm mức lương của công việc đó?",
        ["70%", "75%", "85%", "100%"],
        "C",
        "Điều 26 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Trường hợp nào không được áp dụng thử việc?",
        [
            "Hợp đồng lao động có thời hạn dưới 01 tháng",
            "Hợp đồng lao động không xác định thời hạn",
            "Hợp đồng lao động 24 tháng",
            "Người lao động đã tốt nghiệp đại học",
        ],
        "A",
        "Khoản 3 Điều 24 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Người lao động làm việc theo hợp đồng không xác định thời hạn muốn đơn phương chấm dứt hợp đồng phải báo trước ít nhất bao nhiêu ngày?",
        ["30 ngày", "45 ngày", "60 ngày", "Không phải báo trước"],
        "B",
        "Điểm a khoản 1 Điều 35 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Người sử dụng lao động KHÔNG được làm những việc nào khi giao kết, thực hiện hợp đồng lao động?",
        [
            "Giữ bản chính giấy tờ tùy thân, văn bằng, chứng chỉ của người lao động",
            "Yêu cầu người lao động thực hiện biện pháp bảo đảm bằng tiền hoặc tài sản",
            "Cung cấp thông tin về công việc, nơi làm việc cho người lao động",
            "Buộc người lao động làm việc để trả nợ cho người sử dụng lao động",
        ],
        "A, B, D",
        "Điều 17 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Trợ cấp thôi việc được tính như thế nào cho mỗi năm làm việc?",
        [
            "Một nửa tháng tiền lương",
            "Một tháng tiền lương",
            "Hai tháng tiền lương",
            "Do hai bên tự thỏa thuận",
        ],
        "A",
        "Khoản 1 Điều 46 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Trợ cấp mất việc làm ít nhất bằng bao nhiêu tháng tiền lương?",
        ["01 tháng", "02 tháng", "03 tháng", "06 tháng"],
        "B",
        "Khoản 1 Điều 47 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Khi chấm dứt hợp đồng lao động, hai bên có trách nhiệm thanh toán đầy đủ các khoản tiền trong thời hạn bao lâu (trường hợp thông thường)?",
        ["07 ngày làm việc", "14 ngày làm việc", "30 ngày", "45 ngày"],
        "B",
        "Khoản 1 Điều 48 Bộ luật Lao động 2019.",
    ),
    (
        CONTRACT,
        "Người sử dụng lao động được tạm thời chuyển người lao động làm công việc khác so với hợp đồng tối đa bao nhiêu ngày làm việc cộng dồn trong 01 năm (khi chưa có sự đồng ý của người lao động)?",
        ["30 ngày", "45 ngày", "60 ngày", "90 ngày"],
        "C",
        "Khoản 1 Điều 29 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Thời giờ làm việc bình thường không quá bao nhiêu giờ trong 01 ngày và bao nhiêu giờ trong 01 tuần?",
        [
            "8 giờ/ngày và 40 giờ/tuần",
            "8 giờ/ngày và 48 giờ/tuần",
            "10 giờ/ngày và 48 giờ/tuần",
            "8 giờ/ngày và 56 giờ/tuần",
        ],
        "B",
        "Khoản 1 Điều 105 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Giờ làm việc ban đêm được tính từ mấy giờ đến mấy giờ?",
        [
            "Từ 21 giờ đến 05 giờ sáng hôm sau",
            "Từ 22 giờ đến 06 giờ sáng hôm sau",
            "Từ 22 giờ đến 05 giờ sáng hôm sau",
            "Từ 23 giờ đến 07 giờ sáng hôm sau",
        ],
        "B",
        "Điều 106 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Số giờ làm thêm của người lao động không quá bao nhiêu giờ trong 01 tháng?",
        ["30 giờ", "40 giờ", "50 giờ", "60 giờ"],
        "B",
        "Điểm b khoản 2 Điều 107 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Trong điều kiện thông thường, số giờ làm thêm của người lao động không quá bao nhiêu giờ trong 01 năm?",
        ["200 giờ", "250 giờ", "300 giờ", "400 giờ"],
        "A",
        "Điểm c khoản 2 Điều 107 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Làm thêm giờ vào ngày thường, người lao động được trả lương ít nhất bằng bao nhiêu?",
        ["100%", "150%", "200%", "300%"],
        "B",
        "Điểm a khoản 1 Điều 98 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Làm thêm giờ vào ngày nghỉ lễ, tết, người lao động được trả ít nhất bằng bao nhiêu (chưa kể tiền lương ngày lễ, tết)?",
        ["150%", "200%", "250%", "300%"],
        "D",
        "Điểm c khoản 1 Điều 98 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Người lao động làm việc vào ban đêm được trả thêm ít nhất bao nhiêu phần trăm tiền lương?",
        ["20%", "30%", "40%", "50%"],
        "B",
        "Khoản 2 Điều 98 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Mức khấu trừ tiền lương hằng tháng để bồi thường thiệt hại không được quá bao nhiêu phần trăm tiền lương thực trả?",
        ["10%", "20%", "30%", "50%"],
        "C",
        "Khoản 3 Điều 102 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Người lao động hưởng lương theo giờ, ngày, tuần được trả gộp nhưng không quá bao nhiêu ngày phải được trả gộp một lần?",
        ["07 ngày", "10 ngày", "15 ngày", "30 ngày"],
        "C",
        "Khoản 1 Điều 97 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Mỗi lần trả lương, người sử dụng lao động phải làm gì?",
        [
            "Thông báo bảng kê trả lương cho người lao động",
            "Trừ đoàn phí công đoàn mà không cần thông báo",
            "Trả bằng hiện vật thay tiền",
            "Giữ lại một phần lương để bảo đảm",
        ],
        "A",
        "Khoản 3 Điều 95 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Quy chế thưởng do ai quyết định?",
        [
            "Người sử dụng lao động quyết định sau khi tham khảo ý kiến tổ chức đại diện người lao động tại cơ sở",
            "Công đoàn cơ sở quyết định",
            "Cơ quan quản lý nhà nước về lao động quyết định",
            "Hội nghị người lao động biểu quyết",
        ],
        "A",
        "Khoản 2 Điều 104 Bộ luật Lao động 2019.",
    ),
    (
        WAGES,
        "Người làm việc liên tục từ 06 giờ trở lên (ban ngày) được nghỉ giữa giờ ít nhất bao lâu?",
        ["15 phút", "30 phút", "45 phút", "60 phút"],
        "B",
        "Khoản 1 Điều 109 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Mỗi tuần, người lao động được nghỉ ít nhất bao nhiêu giờ liên tục?",
        ["12 giờ", "24 giờ", "36 giờ", "48 giờ"],
        "B",
        "Khoản 1 Điều 111 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Người lao động được nghỉ Tết Âm lịch bao nhiêu ngày và hưởng nguyên lương?",
        ["03 ngày", "04 ngày", "05 ngày", "07 ngày"],
        "C",
        "Điểm b khoản 1 Điều 112 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Những ngày nào là ngày nghỉ lễ người lao động được nghỉ và hưởng nguyên lương?",
        [
            "Ngày Quốc tế lao động 01/5",
            "Ngày Chiến thắng 30/4",
            "Ngày Giỗ Tổ Hùng Vương 10/3 âm lịch",
            "Ngày Quốc tế Phụ nữ 08/3",
        ],
        "A, B, C",
        "Khoản 1 Điều 112 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Người làm việc đủ 12 tháng trong điều kiện bình thường được nghỉ hằng năm bao nhiêu ngày làm việc?",
        ["10 ngày", "12 ngày", "14 ngày", "16 ngày"],
        "B",
        "Điểm a khoản 1 Điều 113 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Cứ đủ bao nhiêu năm làm việc cho một người sử dụng lao động thì số ngày nghỉ hằng năm tăng thêm 01 ngày?",
        ["03 năm", "05 năm", "07 năm", "10 năm"],
        "B",
        "Điều 114 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Người lao động kết hôn được nghỉ việc riêng hưởng nguyên lương bao nhiêu ngày?",
        ["01 ngày", "02 ngày", "03 ngày", "05 ngày"],
        "C",
        "Điểm a khoản 1 Điều 115 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Lao động nữ được nghỉ thai sản trước và sau khi sinh con bao lâu (sinh một con)?",
        ["04 tháng", "05 tháng", "06 tháng", "07 tháng"],
        "C",
        "Khoản 1 Điều 139 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Người sử dụng lao động không được sa thải, đơn phương chấm dứt hợp đồng lao động với người lao động vì những lý do nào?",
        ["Kết hôn", "Mang thai", "Nghỉ thai sản", "Nuôi con dưới 12 tháng tuổi"],
        "A, B, C, D",
        "Khoản 3 Điều 137 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Theo lộ trình, tuổi nghỉ hưu của lao động nam trong điều kiện bình thường đạt 62 tuổi vào năm nào?",
        ["2025", "2028", "2030", "2035"],
        "B",
        "Khoản 2 Điều 169 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Thời hiệu xử lý kỷ luật lao động (trường hợp thông thường) là bao lâu kể từ ngày xảy ra hành vi vi phạm?",
        ["03 tháng", "06 tháng", "12 tháng", "24 tháng"],
        "B",
        "Khoản 1 Điều 123 Bộ luật Lao động 2019.",
    ),
    (
        REST,
        "Hành vi nào bị nghiêm cấm khi xử lý kỷ luật lao động?",
        [
            "Phạt tiền, cắt lương thay việc xử lý kỷ luật lao động",
            "Khiển trách bằng văn bản",
            "Kéo dài thời hạn nâng lương",
            "Mời tổ chức đại diện người lao động tham dự",
        ],
        "A",
        "Khoản 2 Điều 127 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Người sử dụng lao động phải tổ chức đối thoại định kỳ tại nơi làm việc ít nhất bao lâu một lần?",
        ["06 tháng một lần", "01 năm một lần", "02 năm một lần", "Chỉ khi có tranh chấp"],
        "B",
        "Điểm a khoản 2 Điều 63 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Thỏa ước lao động tập thể có thời hạn bao lâu?",
        ["Dưới 01 năm", "Từ 01 năm đến 03 năm", "Từ 03 năm đến 05 năm", "Không thời hạn"],
        "B",
        "Khoản 2 Điều 78 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Thời hiệu yêu cầu Tòa án giải quyết tranh chấp lao động cá nhân là bao lâu kể từ ngày phát hiện quyền, lợi ích bị vi phạm?",
        ["06 tháng", "09 tháng", "01 năm", "02 năm"],
        "C",
        "Khoản 3 Điều 190 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Người lao động có quyền thành lập, gia nhập và tham gia hoạt động của tổ chức đại diện người lao động tại cơ sở theo điều nào của Bộ luật Lao động 2019?",
        ["Điều 170", "Điều 35", "Điều 112", "Điều 198"],
        "A",
        "Điều 170 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Đình công do ai tổ chức và lãnh đạo?",
        [
            "Tổ chức đại diện người lao động có quyền thương lượng tập thể là một bên tranh chấp lao động tập thể",
            "Bất kỳ nhóm người lao động nào",
            "Người sử dụng lao động",
            "Cơ quan quản lý nhà nước về lao động",
        ],
        "A",
        "Điều 198 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Người sử dụng lao động bị nghiêm cấm những hành vi nào liên quan đến tổ chức đại diện người lao động tại cơ sở?",
        [
            "Cản trở, gây khó khăn khi người lao động thành lập, gia nhập tổ chức",
            "Phân biệt đối xử vì lý do người lao động tham gia hoạt động của tổ chức",
            "Dùng biện pháp kinh tế để can thiệp, thao túng tổ chức",
            "Bố trí thời gian cho cán bộ công đoàn hoạt động",
        ],
        "A, B, C",
        "Điều 175 Bộ luật Lao động 2019.",
    ),
    (
        UNION,
        "Ngày thành lập Công đoàn Việt Nam là ngày nào?",
        ["28/7/1929", "01/5/1886", "03/2/1930", "20/10/1930"],
        "A",
        "Ngày 28/7/1929, Tổng Công hội Đỏ Bắc Kỳ được thành lập.",
    ),
    (
        UNION,
        "Tháng Công nhân được tổ chức vào tháng nào hằng năm?",
        ["Tháng 3", "Tháng 5", "Tháng 7", "Tháng 10"],
        "B",
        "Tháng Công nhân do Tổng Liên đoàn Lao động Việt Nam phát động hằng năm vào tháng 5.",
    ),
]

OPEN_BANK: list[tuple[str, str, list[str], str, str]] = [
    (
        "Luật Công đoàn 2024",
        "Luật Công đoàn năm 2024 có hiệu lực thi hành từ ngày nào?",
        ["01/01/2025", "01/7/2025", "01/01/2026", "01/7/2026"],
        "B",
        "Luật Công đoàn số 50/2024/QH15.",
    ),
    (
        "Luật Công đoàn 2024",
        "Theo Luật Công đoàn năm 2024, người lao động là công dân nước ngoài làm việc tại Việt Nam có được gia nhập Công đoàn Việt Nam không?",
        [
            "Không được",
            "Được, theo điều kiện Luật và Điều lệ Công đoàn quy định",
            "Chỉ được dự thính",
            "Chỉ khi có quốc tịch Việt Nam",
        ],
        "B",
        "Luật Công đoàn số 50/2024/QH15.",
    ),
    (
        "Luật Công đoàn 2024",
        "Cơ quan, tổ chức, doanh nghiệp đóng kinh phí công đoàn bằng bao nhiêu phần trăm quỹ tiền lương làm căn cứ đóng bảo hiểm xã hội cho người lao động?",
        ["1%", "2%", "3%", "5%"],
        "B",
        "Luật Công đoàn số 50/2024/QH15.",
    ),
    (
        "Công đoàn Việt Nam",
        "Ngày thành lập Công đoàn Việt Nam là ngày nào?",
        ["28/7/1929", "01/5/1886", "03/2/1930", "20/10/1930"],
        "A",
        "Ngày 28/7/1929, Tổng Công hội Đỏ Bắc Kỳ được thành lập.",
    ),
    (
        "Công đoàn Việt Nam",
        "Đoàn viên công đoàn được Công đoàn hỗ trợ những gì khi quyền, lợi ích bị xâm phạm?",
        [
            "Tư vấn pháp luật lao động",
            "Đại diện tham gia tố tụng khi được ủy quyền",
            "Hướng dẫn thủ tục giải quyết tranh chấp",
            "Trả lương thay doanh nghiệp",
        ],
        "A, B, C",
        "Quyền của đoàn viên công đoàn.",
    ),
    (
        "Công đoàn Việt Nam",
        "Tháng Công nhân được tổ chức vào tháng nào hằng năm?",
        ["Tháng 3", "Tháng 5", "Tháng 7", "Tháng 10"],
        "B",
        "Hằng năm, Tổng Liên đoàn Lao động Việt Nam phát động Tháng Công nhân vào tháng 5.",
    ),
]

# How many members of each grassroots union take part: the share differs by union, and a large
# factory sends at most a few dozen (its rate stays low; a small office's can be high).
RATES = (0.15, 0.25, 0.4, 0.55, 0.7)
CAP = (12, 40)
PER_ATTEMPT = 10
MIX = {CONTRACT: 3, WAGES: 3, REST: 2, UNION: 2}


def _say(stdout: Any, line: str) -> None:
    if stdout:
        stdout.write(f"  {line}")


def _bank(
    officer: User, contest: Contest, bank: list[tuple[str, str, list[str], str, str]]
) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for topic_name, text, options, letters, explanation in bank:
        topic = topics.get(topic_name) or contests.topic_create(
            actor=officer, contest=contest, name=topic_name
        )
        topics[topic_name] = topic
        correct = {c.strip() for c in letters.split(",")}
        contests.question_save(
            actor=officer,
            contest=contest,
            topic=topic,
            kind="multiple" if len(correct) > 1 else "single",
            text=text,
            options=[OptionInput(o, "ABCDEF"[i] in correct) for i, o in enumerate(options)],
            explanation=explanation,
            audit=False,
        )
    return topics


def _past_year() -> int:
    today = timezone.localdate()
    return today.year if (today.month, today.day) >= (6, 15) else today.year - 1


def _draw(rng: random.Random, by_topic: dict[int, list[int]], mix: dict[str, int]) -> list[int]:
    ids: list[int] = []
    for topic_id, n in mix.items():
        ids += rng.sample(by_topic[int(topic_id)], n)
    rng.shuffle(ids)
    return ids


def _wrong_choice(rng: random.Random, right: list[int], wrong: list[int]) -> list[int]:
    """A wrong answer: a wrong option, or (all options right) only some of them."""
    if wrong:
        return [rng.choice(wrong)]
    return sorted(rng.sample(right, max(1, len(right) - 1)))


def _attempt(
    rng: random.Random,
    rnd: Round,
    participant: Participant,
    question_ids: list[int],
    correct: dict[int, list[int]],
    wrong: dict[int, list[int]],
    *,
    skill: float,
    start: datetime,
    seconds: float,
    prediction: int | None,
    number: int = 1,
) -> Attempt:
    attempt = Attempt.objects.create(
        round=rnd,
        participant=participant,
        number=number,
        question_ids=question_ids,
        option_orders={str(q): correct[q] + wrong.get(q, []) for q in question_ids},
        status=AttemptStatus.FINISHED,
        started_at=start,
        deadline_at=start + timedelta(seconds=rnd.time_limit_seconds),
        finished_at=start + timedelta(seconds=seconds),
        prediction=prediction,
    )
    step = seconds / (len(question_ids) + 1)
    Answer.objects.bulk_create(
        Answer(
            attempt=attempt,
            question_id=q,
            option_ids=correct[q]
            if rng.random() < skill
            else _wrong_choice(rng, correct[q], wrong.get(q, [])),
            answered_at=start + timedelta(seconds=step * (i + 1) * rng.uniform(0.8, 1.1)),
        )
        for i, q in enumerate(question_ids)
    )
    scoring.score_attempt(attempt)
    return attempt


@transaction.atomic
def _past_contest(officer: User, px: Unit, stdout: Any) -> None:
    year = _past_year()
    tz = timezone.get_current_timezone()
    contest = contests.contest_create(
        actor=officer,
        unit=px,
        data={
            "title": f"Cuộc thi trực tuyến “Tìm hiểu pháp luật lao động” năm {year}",
            "description": (
                f"Hưởng ứng Tháng Công nhân năm {year}, LĐLĐ huyện Phú Xuyên tổ chức cuộc thi "
                "trực tuyến tìm hiểu Bộ luật Lao động năm 2019 và pháp luật về Công đoàn cho đoàn "
                "viên, người lao động trong các công đoàn cơ sở trực thuộc."
            ),
            "rules": (
                "Mỗi vòng thi, mỗi người được thi 01 lượt gồm 10 câu hỏi trắc nghiệm trong 15 phút. "
                "Xếp giải theo số câu trả lời đúng; nếu bằng nhau, người có dự đoán gần đúng nhất "
                "số người trả lời đúng tất cả các câu xếp trên; nếu vẫn bằng nhau, người làm bài "
                "nhanh hơn xếp trên."
            ),
            "eligibility": "members",
            "prediction_question": "Theo bạn, có bao nhiêu người trả lời đúng tất cả các câu hỏi của cuộc thi?",
            "certificate_signer": "Nguyễn Văn Thành",
            "certificate_signer_title": "Chủ tịch",
        },
    )
    Contest.objects.filter(pk=contest.pk).update(
        slug=PAST_SLUG, created_at=datetime(year, 4, 20, 9, tzinfo=tz)
    )
    contest.refresh_from_db()
    topics = _bank(officer, contest, BANK)
    mix = {str(topics[name].pk): n for name, n in MIX.items()}
    rounds = []
    for number, (first, last) in enumerate(((1, 15), (16, 31)), start=1):
        rounds.append(
            contests.round_save(
                actor=officer,
                contest=contest,
                data={
                    "title": f"Vòng {number}",
                    "opens_at": datetime(year, 5, first, 7, tzinfo=tz),
                    "closes_at": datetime(year, 5, last, 22, tzinfo=tz),
                    "questions_per_attempt": PER_ATTEMPT,
                    "topic_mix": mix,
                    "time_limit_seconds": 900,
                    "attempts_allowed": 1,
                },
            )
        )
    contests.contest_publish(actor=officer, contest=contest)
    Contest.objects.filter(pk=contest.pk).update(published_at=datetime(year, 4, 25, 8, tzinfo=tz))

    by_topic: dict[int, list[int]] = {}
    for qid, topic_id in Question.objects.filter(contest=contest).values_list("pk", "topic_id"):
        by_topic.setdefault(topic_id, []).append(qid)
    correct: dict[int, list[int]] = {}
    wrong: dict[int, list[int]] = {}
    for qid, oid, right in Option.objects.filter(question__contest=contest).values_list(
        "question_id", "pk", "is_correct"
    ):
        (correct if right else wrong).setdefault(qid, []).append(oid)

    rng = random.Random(17)
    units = list(
        Unit.objects.filter(parent=px, is_active=True, level__is_grassroots=True).order_by("code")
    )
    people: list[Participant] = []
    for unit in units:
        members = list(
            Member.objects.filter(unit=unit, is_union_member=True, left_on=None).order_by("pk")
        )
        count = min(rng.randint(*CAP), max(1, int(len(members) * rng.choice(RATES))))
        for m in rng.sample(members, count) if members else []:
            people.append(
                Participant(
                    contest=contest,
                    user_id=m.user_id,
                    member=m,
                    full_name=m.full_name,
                    unit=unit,
                    created_at=datetime(year, 5, rng.randint(1, 14), 8, tzinfo=tz),
                )
            )
    Participant.objects.bulk_create(people, batch_size=500)
    people = list(Participant.objects.filter(contest=contest).order_by("pk"))
    perfect_guess = max(3, len(people) // 5)  # about how many answer every question right
    for p in people:
        skill = rng.betavariate(6, 2)
        for rnd in rounds:
            if rnd.number == 2 and rng.random() < 0.35:
                continue  # a third skip the second round
            day = rng.randint(rnd.opens_at.day, min(rnd.closes_at.day, rnd.opens_at.day + 14))
            start = datetime(year, 5, day, rng.randint(6, 21), rng.randint(0, 59), tzinfo=tz)
            prediction = (
                max(0, int(rng.gauss(perfect_guess, perfect_guess))) if rng.random() < 0.9 else None
            )
            _attempt(
                rng,
                rnd,
                p,
                _draw(rng, by_topic, mix),
                correct,
                wrong,
                skill=skill,
                start=start,
                seconds=rng.uniform(150, 820),
                prediction=prediction,
            )

    # Three people of one union who sent the same draw answered alike (found and reviewed), and
    # one who answered ten questions in nine seconds.
    ring_unit = units[0]
    draw = _draw(rng, by_topic, mix)
    ring: list[Attempt] = []
    fast: Attempt | None = None
    for i, m in enumerate(
        Member.objects.filter(unit=ring_unit)
        .exclude(contest_entries__contest=contest)
        .order_by("pk")[:4]
    ):
        p = Participant.objects.create(
            contest=contest, member=m, user_id=m.user_id, full_name=m.full_name, unit=ring_unit
        )
        start = datetime(year, 5, 20, 20, 5 + i, tzinfo=tz)
        if i < 3:
            ring.append(
                _attempt(
                    rng,
                    rounds[1],
                    p,
                    list(draw),
                    correct,
                    wrong,
                    skill=1.0,
                    start=start,
                    seconds=300 + 20 * i,
                    prediction=perfect_guess,
                )
            )
        else:
            fast = _attempt(
                rng,
                rounds[1],
                p,
                _draw(rng, by_topic, mix),
                correct,
                wrong,
                skill=0.9,
                start=start,
                seconds=9,
                prediction=1,
            )
    ring[0].refresh_from_db()
    abuse.review_attempt(
        actor=officer,
        attempt=ring[0],
        outcome=ReviewOutcome.VALID,
        note="Đã xác minh: làm bài tại nhà, có người chứng kiến.",
    )
    for attempt in ring[1:]:
        attempt.refresh_from_db()
        abuse.review_attempt(
            actor=officer,
            attempt=attempt,
            outcome=ReviewOutcome.DISQUALIFIED,
            note="Làm bài chung, trùng toàn bộ đáp án.",
        )
    if fast is not None:
        fast.refresh_from_db()
        abuse.review_attempt(
            actor=officer,
            attempt=fast,
            outcome=ReviewOutcome.DISQUALIFIED,
            note="Không thể đọc đề trong thời gian này.",
        )

    for position, (name, count, amount) in enumerate(
        (
            ("Giải Nhất", 1, 2_000_000),
            ("Giải Nhì", 2, 1_500_000),
            ("Giải Ba", 3, 1_000_000),
            ("Giải Khuyến khích", 10, 500_000),
        )
    ):
        prizes.prize_save(
            actor=officer,
            contest=contest,
            kind=PrizeKind.RANK,
            name=name,
            count=count,
            amount_vnd=amount,
            position=position,
        )
    prizes.prize_save(
        actor=officer,
        contest=contest,
        kind=PrizeKind.UNIT,
        name="Giải tập thể: tỷ lệ đoàn viên dự thi cao",
        count=3,
        amount_vnd=3_000_000,
    )
    contests.contest_publish_results(actor=officer, contest=contest)
    issued = certificates.certificates_issue(actor=officer, contest=contest)
    Contest.objects.filter(pk=contest.pk).update(
        results_published_at=datetime(year, 6, 5, 9, tzinfo=tz)
    )
    _say(
        stdout,
        f"cuộc thi tháng 5/{year}: {len(people) + 4} người dự thi, {Attempt.objects.filter(round__contest=contest).count()} lượt, {issued} giấy chứng nhận",
    )


@transaction.atomic
def _open_contest(officer: User, px: Unit, stdout: Any) -> None:
    contest = contests.contest_create(
        actor=officer,
        unit=px,
        data={
            "title": "Tìm hiểu Luật Công đoàn năm 2024",
            "description": "Cuộc thi trắc nghiệm trực tuyến về những điểm mới của Luật Công đoàn năm 2024.",
            "rules": "Mỗi người được thi tối đa 02 lượt, mỗi lượt 5 câu trong 10 phút; tính lượt có kết quả tốt nhất.",
            "eligibility": "members",
            "prediction_question": "Theo bạn, có bao nhiêu người trả lời đúng tất cả các câu hỏi?",
            "certificate_signer": "Nguyễn Văn Thành",
            "certificate_signer_title": "Chủ tịch",
        },
    )
    Contest.objects.filter(pk=contest.pk).update(slug=OPEN_SLUG)
    contest.refresh_from_db()
    _bank(officer, contest, OPEN_BANK)
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    contests.round_save(
        actor=officer,
        contest=contest,
        data={
            "title": "Vòng 1",
            "opens_at": now - timedelta(days=3),
            "closes_at": now + timedelta(days=28),
            "questions_per_attempt": 5,
            "topic_mix": {},
            "time_limit_seconds": 600,
            "attempts_allowed": 2,
        },
    )
    prizes.prize_save(
        actor=officer,
        contest=contest,
        kind=PrizeKind.RANK,
        name="Giải Nhất",
        count=1,
        amount_vnd=1_000_000,
    )
    contests.contest_publish(actor=officer, contest=contest)
    _say(stdout, "cuộc thi đang mở: “Tìm hiểu Luật Công đoàn năm 2024”")


def seed(stdout: Any = None) -> None:
    px = Unit.objects.filter(code="PX").first()
    officer = (
        User.objects.filter(username=OFFICE_LOGIN).first()
        or User.objects.filter(email=OFFICE_LOGIN).first()
    )
    if px is None or officer is None:
        _say(stdout, "(chưa có cây tổ chức Phú Xuyên — bỏ qua cuộc thi)")
        return
    if not Contest.objects.filter(slug=PAST_SLUG).exists():
        _past_contest(officer, px, stdout)
    else:
        _say(stdout, "(đã có cuộc thi tháng 5 — bỏ qua)")
    if not Contest.objects.filter(slug=OPEN_SLUG).exists():
        _open_contest(officer, px, stdout)
    if not Contest.objects.filter(status=ContestStatus.RESULTS).exists():
        _say(stdout, "(chưa có kết quả)")
