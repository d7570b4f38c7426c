"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "contests.contest.create",
    label=_("Tạo cuộc thi"),
    sentence=_("{actor} tạo cuộc thi “{object}”"),
)
register_action(
    "contests.contest.update",
    label=_("Sửa cuộc thi"),
    sentence=_("{actor} sửa cuộc thi “{object}”"),
    fields={"fields": _("trường đã sửa")},
)
register_action(
    "contests.contest.publish",
    label=_("Công bố cuộc thi"),
    sentence=_("{actor} công bố cuộc thi “{object}”"),
)
register_action(
    "contests.contest.cancel",
    label=_("Hủy cuộc thi"),
    sentence=_("{actor} hủy cuộc thi “{object}”"),
    fields={"reason": _("lý do")},
)
register_action(
    "contests.contest.results",
    label=_("Công bố kết quả cuộc thi"),
    sentence=_("{actor} công bố kết quả cuộc thi “{object}”"),
)
register_action(
    "contests.round.create",
    label=_("Thêm vòng thi"),
    sentence=_("{actor} thêm vòng thi “{object}”"),
    fields={"opens_at": _("mở lúc"), "closes_at": _("đóng lúc")},
)
register_action(
    "contests.round.update",
    label=_("Sửa vòng thi"),
    sentence=_("{actor} sửa vòng thi “{object}”"),
    fields={"opens_at": _("mở lúc"), "closes_at": _("đóng lúc")},
)
register_action(
    "contests.round.rescore",
    label=_("Chấm lại vòng thi"),
    sentence=_("{actor} chấm lại các lượt thi của “{object}”"),
    fields={"attempts": _("số lượt thi")},
)
register_action(
    "contests.topic.create",
    label=_("Thêm chủ đề câu hỏi"),
    sentence=_("{actor} thêm chủ đề “{object}”"),
)
register_action(
    "contests.question.create",
    label=_("Thêm câu hỏi thi"),
    sentence=_("{actor} thêm câu hỏi “{object}”"),
)
register_action(
    "contests.question.update",
    label=_("Sửa câu hỏi thi"),
    sentence=_("{actor} sửa câu hỏi “{object}”"),
)
register_action(
    "contests.question.activate",
    label=_("Dùng lại câu hỏi thi"),
    sentence=_("{actor} dùng lại câu hỏi “{object}”"),
)
register_action(
    "contests.question.deactivate",
    label=_("Ngừng dùng câu hỏi thi"),
    sentence=_("{actor} ngừng dùng câu hỏi “{object}”"),
)
register_action(
    "contests.question.import",
    label=_("Nhập ngân hàng câu hỏi"),
    sentence=_("{actor} nhập câu hỏi vào cuộc thi “{object}”"),
    fields={
        "file": _("tệp"),
        "rows": _("số dòng"),
        "created": _("số câu đã nhập"),
        "skipped": _("số dòng bỏ qua"),
        "already": _("số câu đã có"),
    },
)
register_action(
    "contests.prize.create",
    label=_("Thêm giải thưởng"),
    sentence=_("{actor} thêm giải “{object}”"),
    fields={"name": _("tên giải"), "count": _("số giải"), "amount_vnd": _("giá trị")},
)
register_action(
    "contests.prize.update",
    label=_("Sửa giải thưởng"),
    sentence=_("{actor} sửa giải “{object}”"),
    fields={"name": _("tên giải"), "count": _("số giải"), "amount_vnd": _("giá trị")},
)
register_action(
    "contests.prize.delete",
    label=_("Xóa giải thưởng"),
    sentence=_("{actor} xóa giải “{object}”"),
)
register_action(
    "contests.attempt.review",
    label=_("Xem xét lượt thi bị đánh dấu"),
    sentence=_("{actor} xem xét lượt thi “{object}”"),
    fields={"review": _("kết luận"), "note": _("ghi chú")},
)
register_action(
    "contests.certificate.issue",
    label=_("Cấp giấy chứng nhận"),
    sentence=_("{actor} cấp giấy chứng nhận cuộc thi “{object}”"),
    fields={"issued": _("số giấy"), "finishers": _("cấp cho mọi người hoàn thành")},
)
register_action(
    "contests.results.export",
    label=_("Xuất kết quả cuộc thi"),
    sentence=_("{actor} xuất kết quả cuộc thi “{object}”"),
    fields={"rows": _("số dòng")},
)
