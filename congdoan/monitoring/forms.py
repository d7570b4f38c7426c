"""The monitoring pages' forms: plain HTML forms that work without JavaScript.

Filters are GET forms (every value optional, a bad one ignored, never a 500); the writes
(status, assignment, notes, sources, known claims, tips) hand their cleaned data to the
services (`services.handling`, `services.sources`, `services.claims`, `services.tips`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.accounts.models import User
from congdoan.core.uploads import format_size
from congdoan.monitoring.models import (
    ItemKind,
    KnownClaim,
    NarrativeStatus,
    ResponseKind,
    Source,
    SourceKind,
    Stance,
    Toxicity,
)
from congdoan.monitoring.selectors import NEEDS
from congdoan.orgs.collation import vn_key
from congdoan.orgs.models import Unit

# Risk thresholds offered by the filters (the value is the lowest risk shown).
RISK_CHOICES = [
    ("", _("Mọi mức rủi ro")),
    ("0.7", _("Cao (từ 0,7)")),
    ("0.4", _("Trung bình trở lên (từ 0,4)")),
    ("0.2", _("Thấp trở lên (từ 0,2)")),
]
# Upload of a social-listening tool's export into a FILE source.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
TIP_TEXT_MAX = 5000


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """Units as an indented list (the tree's order)."""

    def label_from_instance(self, obj: Unit) -> str:
        return "— " * max(0, obj.depth - 1) + obj.name


def _risk(value: str | None) -> float | None:
    try:
        risk = float(value or "")
    except ValueError:
        return None
    return risk if 0 <= risk <= 1 else None


class NarrativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Tình trạng"), required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    risk = forms.ChoiceField(label=_("Mức rủi ro"), required=False, choices=RISK_CHOICES)
    # The officers' home page's lists (selectors.NEEDS).
    need = forms.ChoiceField(
        label=_("Cần làm hôm nay"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("risky", _("Rủi ro cao, chưa xác minh xong")),
            ("mine", _("Giao cho tôi")),
            ("overdue", _("Quá hạn xử lý")),
        ],
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Mọi tình trạng")),
            ("open", _("Chưa xử lý xong")),
            *NarrativeStatus.choices,
        ]
        self._units = {u.code: u for u in units.order_by("path")[:500]}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("Mọi đơn vị trong phạm vi")),
            *[(code, "— " * max(0, u.depth - 1) + u.name) for code, u in self._units.items()],
        ]

    def values(self) -> dict[str, Any]:
        """The filters to apply: a value the form refuses counts as not given."""
        data = self.data
        status = data.get("status") or None
        allowed = {"open", *NarrativeStatus.values}
        return {
            "q": (data.get("q") or "").strip()[:200] or None,
            "status": status if status in allowed else None,
            "unit": self._units.get(data.get("unit") or ""),
            "min_risk": _risk(data.get("risk")),
            "need": data.get("need") if data.get("need") in NEEDS else None,
        }


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    source = forms.ChoiceField(label=_("Nguồn"), required=False)
    relevant = forms.ChoiceField(
        label=_("Liên quan"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Liên quan")), ("0", _("Không liên quan"))],
    )
    toxicity = forms.ChoiceField(label=_("Độc hại"), required=False)
    stance = forms.ChoiceField(label=_("Thái độ"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), required=False)

    def __init__(self, *args: Any, sources: QuerySet[Source], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        # In Vietnamese order of the names shown ("Điện lực" after "Dân trí", not after "Zing").
        picked = sorted(
            sources.select_related(None).order_by("pk")[:300], key=lambda s: vn_key(s.label)
        )
        self._sources = {str(s.pk): s for s in picked}
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            ("", _("Mọi nguồn")),
            *[(pk, s.label) for pk, s in self._sources.items()],
        ]
        self.fields["toxicity"].choices = [("", _("Tất cả")), *Toxicity.choices]  # type: ignore[attr-defined]
        self.fields["stance"].choices = [("", _("Tất cả")), *Stance.choices]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Tất cả")), *ItemKind.choices]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.data

        def pick(name: str, allowed: list[str]) -> str | None:
            value = data.get(name) or ""
            return value if value in allowed else None

        relevant = data.get("relevant")
        return {
            "q": (data.get("q") or "").strip()[:200] or None,
            "source": self._sources.get(data.get("source") or ""),
            "relevant": {"1": True, "0": False}.get(relevant or ""),
            "toxicity": pick("toxicity", Toxicity.values),
            "stance": pick("stance", Stance.values),
            "kind": pick("kind", ItemKind.values),
        }


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Chuyển sang"))
    reason = forms.CharField(
        label=_("Lý do bỏ qua"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi bỏ qua: vì sao luồng tin này không cần xử lý."),
    )
    response_kind = forms.ChoiceField(label=_("Hình thức xử lý"), required=False)
    product: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Sản phẩm truyền thông phản hồi"),
        required=False,
        queryset=None,
        empty_label=_("— chưa gắn sản phẩm —"),
        help_text=_("Bài làm rõ, phản bác, giải thích chính sách của đơn vị."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, targets: list[str], products: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(NarrativeStatus.choices)
        self.fields["to_status"].choices = [(t, labels.get(t, t)) for t in targets]  # type: ignore[attr-defined]
        self.fields["response_kind"].choices = [("", "—"), *ResponseKind.choices]  # type: ignore[attr-defined]
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Người phụ trách"), queryset=User.objects.none())
    deadline = forms.DateField(
        label=_("Hạn xử lý"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in officers])  # type: ignore[attr-defined]
        # Listed as given (`selectors.assignable_officers`: Vietnamese name order), not by the
        # database's order of the names; the queryset still checks the choice.
        field.choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *[(u.pk, u.get_full_name() or u.get_username()) for u in officers],
        ]

    def clean_deadline(self) -> date | None:
        deadline: date | None = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            raise forms.ValidationError(_("Hạn xử lý không được ở trong quá khứ."))
        return deadline


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _first_unit_by_default(form: forms.BaseForm, ordered: QuerySet[Unit]) -> None:
    """A new source or claim belongs to the highest unit of the officer's scope (their own
    union) unless they pick another: the unit select never starts empty."""
    if "unit" not in form.initial:
        first = ordered.values_list("pk", flat=True).first()
        if first is not None:
            form.initial["unit"] = first


class SourceForm(forms.ModelForm[Source]):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị theo dõi"))
    url = forms.URLField(
        label=_("Địa chỉ"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("Nguồn RSS/Atom hoặc trang web: địa chỉ bắt đầu bằng https://"),
    )
    watched_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Đơn vị được theo dõi"),
        help_text=_("Tin nhắc đến các đơn vị này được coi là liên quan."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Source
        fields = [
            "unit",
            "name",
            "kind",
            "url",
            "external_ref",
            "keywords",
            "watched_units",
            "every_minutes",
            "active",
        ]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"external_ref": _("Trang Facebook: mã trang; YouTube: mã video.")}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordered = units.order_by("path")
        self.fields["unit"].queryset = ordered  # type: ignore[attr-defined]
        self.fields["watched_units"].queryset = ordered  # type: ignore[attr-defined]
        self.fields["every_minutes"].min_value = 5  # type: ignore[attr-defined]
        self.fields["every_minutes"].widget.attrs["min"] = 5
        if self.instance.pk:
            del self.fields["unit"]  # a source stays with its unit
        else:
            _first_unit_by_default(self, ordered)
        # Tips sources are made by the tip form, never by hand.
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            c for c in SourceKind.choices if c[0] != SourceKind.TIPS
        ] + (
            []
            if self.instance.kind != SourceKind.TIPS
            else [(SourceKind.TIPS, SourceKind.TIPS.label)]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (SourceKind.RSS, SourceKind.WEB) and not data.get("url"):
            self.add_error("url", _("Nguồn RSS hoặc trang web cần địa chỉ."))
        if kind in (SourceKind.FACEBOOK, SourceKind.YOUTUBE) and not data.get("external_ref"):
            self.add_error("external_ref", _("Cần mã trang Facebook hoặc mã video YouTube."))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp xuất từ công cụ lắng nghe mạng xã hội"),
        help_text=_(
            "CSV, JSON hoặc JSONL (mỗi dòng một tin: id, url, text, author, published_at, reach)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,.jsonl,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(size)s.") % {"size": format_size(UPLOAD_MAX_BYTES)}
            )
        name = (upload.name or "").lower()
        fmt = name.rsplit(".", 1)[-1] if "." in name else ""
        if fmt not in {"csv", "json", "jsonl"}:
            raise forms.ValidationError(_("Chỉ nhận tệp .csv, .json hoặc .jsonl."))
        self.fmt = fmt
        return upload


class ClaimForm(forms.ModelForm[KnownClaim]):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))
    refutation_url = forms.URLField(
        label=_("Địa chỉ bài bác bỏ"), max_length=1000, required=False, assume_scheme="https"
    )

    class Meta:
        model = KnownClaim
        fields = ["unit", "claim", "refutation", "refutation_url", "active"]
        widgets = {
            "claim": forms.Textarea(attrs={"rows": 3}),
            "refutation": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["unit"]
        else:
            _first_unit_by_default(self, units.order_by("path"))

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class TipForm(forms.Form):
    url = forms.URLField(
        label=_("Đường dẫn bài viết"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Dán đường dẫn bài đăng, bài báo, video (nếu có)."),
    )
    text = forms.CharField(
        label=_("Nội dung"),
        required=False,
        max_length=TIP_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chép nội dung bài viết, bình luận, hoặc mô tả điều bạn thấy."),
    )
    screenshot = forms.ImageField(
        label=_("Ảnh chụp màn hình"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    unit = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Gửi tới đơn vị"),
        empty_label=None,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
            self.fields["unit"].required = True

    def clean_screenshot(self) -> Any:
        image = self.cleaned_data.get("screenshot")
        if image and image.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("Ảnh quá lớn."))
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("url") or (data.get("text") or "").strip() or data.get("screenshot")
        if not given and not self.errors:
            raise forms.ValidationError(
                _("Cho biết ít nhất một trong ba: đường dẫn, nội dung hoặc ảnh chụp màn hình.")
            )
        return data


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)

    def year_value(self) -> int:
        try:
            year = int(self.data.get("year") or 0)
        except ValueError:
            year = 0
        return year if 2000 <= year <= 2100 else timezone.localdate().year
