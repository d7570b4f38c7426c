"""The seven themes of the communication plan (docs: BRIEF "Content"), codes stable."""

from __future__ import annotations

from typing import Any

from django.db import migrations

THEMES = [
    (
        "tu-tuong",
        "Tư tưởng, đường lối, truyền thống",
        "Chủ nghĩa Mác - Lê nin, tư tưởng Hồ Chí Minh, đường lối của Đảng; truyền thống của "
        "giai cấp công nhân và tổ chức Công đoàn Việt Nam.",
    ),
    (
        "chinh-sach-phap-luat",
        "Chính sách, pháp luật",
        "Chính sách, pháp luật của Nhà nước, chương trình của Công đoàn; kiến thức người lao "
        "động cần biết để tự bảo vệ mình; hướng dẫn, tư vấn.",
    ),
    (
        "vai-tro-cong-doan",
        "Vai trò, vị thế của Công đoàn",
        "Vai trò, vị trí và uy tín của tổ chức Công đoàn trong xã hội.",
    ),
    (
        "cham-lo-bao-ve",
        "Chăm lo, bảo vệ đoàn viên",
        "Tham gia xây dựng chính sách, chăm lo và bảo vệ đoàn viên, phát triển đoàn viên, thành "
        "lập công đoàn cơ sở, hợp tác quốc tế.",
    ),
    (
        "guong-tot",
        "Gương người tốt, việc tốt",
        "Người tốt, việc tốt, phong trào thi đua; đấu tranh phản bác quan điểm sai trái, thù địch.",
    ),
    (
        "quyen-loi-doan-vien",
        "Quyền lợi, nghĩa vụ đoàn viên",
        "Quyền và nghĩa vụ của đoàn viên gắn với tâm tư, đời sống, việc làm; kiến nghị và sáng "
        "kiến của người lao động.",
    ),
    (
        "su-kien-trong-tam",
        "Sự kiện trọng tâm trong năm",
        "Tết Sum vầy, Tháng Công nhân, Tháng hành động về an toàn, vệ sinh lao động, ngày 1/5, "
        "ngày thành lập Công đoàn Việt Nam 28/7, các ngày kỷ niệm của huyện, Thủ đô, đất nước.",
    ),
]


def create_themes(apps: Any, schema_editor: Any) -> None:
    Theme = apps.get_model("content", "Theme")
    for order, (code, name, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )


def remove_themes(apps: Any, schema_editor: Any) -> None:
    Theme = apps.get_model("content", "Theme")
    Theme.objects.filter(code__in=[code for code, _name, _description in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_products")]

    operations = [migrations.RunPython(create_themes, remove_themes)]
