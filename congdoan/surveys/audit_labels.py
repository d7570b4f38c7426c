"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "surveys.survey.create",
    label=_("Tạo khảo sát"),
    sentence=_("{actor} tạo khảo sát “{object}”"),
    fields={"source": _("cách tạo"), "questions": _("số câu hỏi"), "audience": _("đối tượng")},
)
register_action(
    "surveys.survey.update",
    label=_("Sửa khảo sát"),
    sentence=_("{actor} sửa khảo sát “{object}”"),
    fields={"fields": _("trường đã sửa")},
)
register_action(
    "surveys.survey.open",
    label=_("Mở khảo sát"),
    sentence=_("{actor} mở khảo sát “{object}”"),
)
register_action(
    "surveys.survey.close",
    label=_("Đóng khảo sát"),
    sentence=_("{actor} đóng khảo sát “{object}”"),
)
register_action(
    "surveys.survey.reopen",
    label=_("Mở lại khảo sát"),
    sentence=_("{actor} mở lại khảo sát “{object}”"),
)
register_action(
    "surveys.survey.delete",
    label=_("Xóa khảo sát"),
    sentence=_("{actor} xóa bản nháp khảo sát “{object}”"),
)
register_action(
    "surveys.question.add",
    label=_("Thêm câu hỏi khảo sát"),
    sentence=_("{actor} thêm câu hỏi vào khảo sát “{object}”"),
    fields={"question": _("câu hỏi"), "kind": _("loại câu hỏi")},
)
register_action(
    "surveys.question.update",
    label=_("Sửa câu hỏi khảo sát"),
    sentence=_("{actor} sửa câu hỏi của khảo sát “{object}”"),
    fields={"question": _("câu hỏi")},
)
register_action(
    "surveys.question.delete",
    label=_("Xóa câu hỏi khảo sát"),
    sentence=_("{actor} xóa câu hỏi khỏi khảo sát “{object}”"),
    fields={"question": _("câu hỏi")},
)
register_action(
    "surveys.question.move",
    label=_("Đổi thứ tự câu hỏi khảo sát"),
    sentence=_("{actor} đổi thứ tự câu hỏi của khảo sát “{object}”"),
    fields={"question": _("câu hỏi"), "direction": _("hướng")},
)
register_action(
    "surveys.responses.export",
    label=_("Tải kết quả khảo sát"),
    sentence=_("{actor} tải kết quả khảo sát “{object}”"),
    fields={"rows": _("số câu trả lời")},
)
