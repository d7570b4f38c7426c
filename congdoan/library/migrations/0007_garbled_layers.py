"""Garbled text layers: the document's choice for them (`Document.layer_choice`) and, on each
page, where its text came from, whether its own layer was garbled, the layer as found, the
repair's changes and the scores (library/layers.py).

SQLite: adding a column to library_document rebuilds the table, which drops the search
triggers, FTS tables and walk index of 0002 and 0004: they are dropped and created again
after it, as 0004 says (and before the column goes again on the way back).
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

from congdoan.library.migrations._sql import on_vendor

_M0004: Any = import_module("congdoan.library.migrations.0004_head_folded")
_REBUILD_SEARCH = on_vendor({"sqlite": _M0004.SQLITE_BACKWARD + _M0004.SQLITE_FORWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0006_page_claimed_by"),
    ]

    operations = [
        # Undone last: removing the column rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, _REBUILD_SEARCH),
        migrations.AddField(
            model_name="document",
            name="layer_choice",
            field=models.CharField(
                choices=[
                    ("auto", "Tự chọn theo mô hình ngôn ngữ"),
                    ("repair", "Sửa lớp chữ có sẵn"),
                    ("ocr", "Nhận dạng chữ lại từ ảnh trang"),
                ],
                default="auto",
                help_text="garbled text layers: auto (language model), or an officer's forced choice",
                max_length=10,
                verbose_name="cách đọc lớp chữ lỗi",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="changes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="[start, end, original, replacement] on original_text: the repair's changes",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="layer_garbled",
            field=models.BooleanField(
                default=False,
                help_text="the page's own text layer read as garbled (congdoan.text.garbled)",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="layer_scores",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="the garble measures and the language model's scores (repaired, ocr)",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="original_text",
            field=models.TextField(
                blank=True,
                help_text="the page's own text layer as found, kept when it was repaired or replaced",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="reading",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Nhận dạng chữ từ ảnh"),
                    ("layer", "Lớp chữ có sẵn"),
                    ("repaired", "Lớp chữ có sẵn, đã sửa"),
                    ("reocr", "Nhận dạng chữ lại (lớp chữ có sẵn bị lỗi)"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.RunPython(_REBUILD_SEARCH, migrations.RunPython.noop),
    ]
