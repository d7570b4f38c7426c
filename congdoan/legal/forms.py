"""Forms of the legal pages: the worker's question, an officer's curated answer with the
articles it cites, and the law import. Plain HTML forms that work without JavaScript; the
services check the values again (a form is only the first gate).

Citations are typed the way officers write them ("Điều 113; khoản 2 Điều 98; Điều 8
145/2020/NĐ-CP") and read by `parse_citations`: without a law named, an article is the Labour
Code's (45/2019/QH14) when it is on the system; each reference that does not resolve gets its
own message, so the officer fixes that one and keeps the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.uploads import format_size
from congdoan.legal import selectors
from congdoan.legal.models import Article, Law
from congdoan.legal.parsing import MAX_BYTES
from congdoan.orgs.models import Unit
from congdoan.text import fold

#: The longest question the ask form takes; the search reads its first 1,000 characters.
MAX_QUESTION_FORM_CHARS = 2000
#: The law an article reference without a law means: the Labour Code of 2019.
DEFAULT_LAW_ID = "45/2019/QH14"
#: How many references one answer may type (the service allows MAX_CITATIONS distinct ones).
MAX_REFERENCES = 40

# "khoản 2 Điều 98 …", "điểm a khoản 2 Điều 98 …", "Điều 113 …" (folded: no marks, lower case)
_REFERENCE_RE = re.compile(
    r"^(?:diem\s+[a-z]\s*,?\s*)?(?:khoan\s+(?P<clause>\d{1,3})\s*,?\s*)?"
    r"dieu\s+(?P<article>\d{1,4}[a-z]?)\b\.?\s*(?P<rest>.*)$"
)
# A law's number as issued, folded: "145/2020/nd-cp", "45/2019/qh14"
_LAW_ID_RE = re.compile(r"\b\d{1,4}/\d{4}/[a-z0-9][a-z0-9-]*\b")
# The same, as typed (marks kept), for messages
_TYPED_LAW_ID_RE = re.compile(r"\d{1,4}/\d{4}/[\w-]+")
# What names the Labour Code without its number (folded)
_CODE_WORDS = ("bo luat lao dong", "blld")


@dataclass(frozen=True)
class Reference:
    """A reference that resolved: the article and its clause ("" for the whole article)."""

    article: Article
    clause: str


def _split(text: str) -> list[str]:
    return [item.strip(" \t.,") for item in re.split(r"[;\n]+", text or "") if item.strip(" \t.,")]


def _law_for(
    rest: str, item: str, laws: dict[str, Law], default: Law | None
) -> tuple[Law | None, str]:
    """The law the rest of a reference names (its number, or words naming the Labour Code), or
    the default; with the message to show when none fits (`item`: the reference as typed)."""
    rest = rest.strip(" ,.()")
    found = _LAW_ID_RE.search(rest)
    if found:
        law = laws.get(found.group())
        if law is None:
            typed = _TYPED_LAW_ID_RE.search(item)
            return None, _("chưa có văn bản %(law)s trên hệ thống.") % {
                "law": typed.group() if typed else found.group().upper()
            }
        return law, ""
    if rest and not any(word in rest for word in _CODE_WORDS):
        for law in laws.values():
            if fold(law.short_name) in rest or fold(law.title) in rest:
                return law, ""
        return None, _("không rõ văn bản “%(rest)s”: hãy ghi số hiệu, ví dụ 145/2020/NĐ-CP.") % {
            "rest": rest
        }
    if default is None:
        return None, _("hãy ghi số hiệu văn bản, ví dụ “Điều 113 45/2019/QH14”.")
    return default, ""


def parse_citations(text: str) -> tuple[list[Reference], list[str]]:
    """The articles a typed list of references names, and one message per reference that does
    not resolve (unreadable, unknown law, unknown article or clause, an article with no text).

    Steps: split on ";" and new lines; fold each item (marks and case do not matter); read
    "[điểm x] [khoản N] Điều M [law]"; find the law (its number, else the Labour Code, else the
    only law there is); find the article and, for a clause, check the text in force has it."""
    items = _split(text)
    if len(items) > MAX_REFERENCES:
        return [], [_("Nhiều quá: tối đa %(n)s mục.") % {"n": MAX_REFERENCES}]
    if not items:
        return [], []
    laws = {fold(law.law_id): law for law in selectors.laws()}
    default = laws.get(fold(DEFAULT_LAW_ID))
    if default is None and len(laws) == 1:
        default = next(iter(laws.values()))
    found: list[Reference] = []
    errors: list[str] = []
    for item in items:
        match = _REFERENCE_RE.match(" ".join(fold(item).split()))
        if match is None:
            errors.append(
                _("“%(item)s”: không đọc được; hãy viết như “Điều 113” hoặc “khoản 2 Điều 98”.")
                % {"item": item}
            )
            continue
        law, problem = _law_for(match.group("rest"), item, laws, default)
        if law is None:
            errors.append(f"“{item}”: {problem}")
            continue
        number = match.group("article")
        article = selectors.article_by_number(law, number)
        if article is None:
            errors.append(
                _("“%(item)s”: %(law)s không có Điều %(n)s.")
                % {"item": item, "law": law.short_name, "n": number}
            )
            continue
        version = article.version_on()
        if version is None or not version.text.strip():
            errors.append(
                _("“%(item)s”: Điều %(n)s chưa được nhập nội dung nên chưa dẫn được.")
                % {"item": item, "n": number}
            )
            continue
        clause = match.group("clause") or ""
        if clause and clause not in {str(c.get("number", "")) for c in version.clauses}:
            errors.append(
                _("“%(item)s”: Điều %(n)s không có khoản %(c)s.")
                % {"item": item, "n": number, "c": clause}
            )
            continue
        found.append(Reference(article, clause))
    return found, errors


def format_citation(article: Article, clause: str) -> str:
    """A citation the way `parse_citations` reads it back ("khoản 2 Điều 98", "Điều 8
    145/2020/NĐ-CP"): the Labour Code goes without its number."""
    head = f"khoản {clause} " if clause else ""
    tail = "" if article.law.law_id == DEFAULT_LAW_ID else f" {article.law.law_id}"
    return f"{head}Điều {article.number}{tail}"


def format_citations(pairs: Iterable[tuple[Article, str]]) -> str:
    return "; ".join(format_citation(article, clause) for article, clause in pairs)


class AskForm(forms.Form):
    """The worker's question (a GET form). A longer question is refused by the form, and the
    page still answers its first part."""

    q = forms.CharField(
        label=gettext_lazy("Câu hỏi của bạn"),
        required=False,
        max_length=MAX_QUESTION_FORM_CHARS,
        error_messages={
            "max_length": gettext_lazy(
                "Câu hỏi dài quá (tối đa %(limit_value)s ký tự, bạn đã viết %(show_value)s): "
                "chỉ phần đầu được dùng để tìm. Hãy viết ngắn lại điều bạn muốn hỏi."
            )
        },
        widget=forms.Textarea(
            attrs={"rows": 2, "maxlength": MAX_QUESTION_FORM_CHARS, "enterkeyhint": "search"}
        ),
    )


class SuggestedField(forms.MultipleChoiceField):
    """Ticked suggestions, "article id:clause". Any well-formed value is accepted (the
    suggestions shown depend on the question, which the officer may have changed); the form
    resolves them to articles."""

    def valid_value(self, value: str) -> bool:
        return bool(re.fullmatch(r"\d{1,12}:\d{0,3}", str(value)))


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class AnswerForm(forms.Form):
    """A curated answer: the question as workers ask it, other ways they ask it, the plain
    answer, and the articles it rests on (typed references and ticked suggestions)."""

    unit = UnitField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị trả lời"))
    question = forms.CharField(
        label=gettext_lazy("Câu hỏi"),
        max_length=500,
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )
    variants = forms.CharField(
        label=gettext_lazy("Cách hỏi khác"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Mỗi dòng một cách người lao động hay hỏi, có dấu hoặc không dấu."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer = forms.CharField(
        label=gettext_lazy("Trả lời"),
        max_length=20000,
        help_text=gettext_lazy("Viết dễ hiểu, ngắn gọn, như nói với người lao động."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    references = forms.CharField(
        label=gettext_lazy("Căn cứ pháp luật"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Cách nhau bằng dấu chấm phẩy, ví dụ: Điều 113; khoản 2 Điều 98; Điều 8 "
            "145/2020/NĐ-CP. Không ghi số hiệu thì hiểu là Bộ luật Lao động 2019."
        ),
        widget=forms.TextInput(attrs={"maxlength": 2000}),
    )
    suggested = SuggestedField(
        label=gettext_lazy("Điều luật gợi ý cho câu hỏi"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit] | None,
        suggestions: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]  # an answer stays with the unit it was written for
        else:
            field = self.fields["unit"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units
            if len(units) == 1:
                field.initial = units[0].pk
        suggested = self.fields["suggested"]
        assert isinstance(suggested, forms.MultipleChoiceField)
        suggested.choices = list(suggestions)
        if not suggestions:
            suggested.widget = forms.MultipleHiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cited, errors = parse_citations(data.get("references", ""))
        for error in errors:
            self.add_error("references", error)
        seen = {(r.article.pk, r.clause) for r in cited}
        for value in data.get("suggested", []):
            pk, _sep, clause = str(value).partition(":")
            article = (
                Article.objects.select_related("law")
                .prefetch_related("versions")
                .filter(pk=int(pk))
                .first()
            )
            if article is None:
                self.add_error("suggested", _("Điều luật gợi ý không còn trên hệ thống."))
                continue
            if (article.pk, clause) not in seen:
                seen.add((article.pk, clause))
                cited.append(Reference(article, clause))
        data["cited"] = [(r.article, r.clause) for r in cited]
        return data


class ImportForm(forms.Form):
    """A law to import: the file, and what its text may not say (number, title, the day the
    new text is in force)."""

    file = forms.FileField(
        label=gettext_lazy("Tệp văn bản (.md, .txt hoặc .docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.txt,.docx"}),
    )
    law_id = forms.CharField(
        label=gettext_lazy("Số, ký hiệu"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("Ví dụ 45/2019/QH14; để trống nếu tệp đã ghi."),
    )
    title = forms.CharField(label=gettext_lazy("Tên văn bản"), required=False, max_length=500)
    effective_from = forms.DateField(
        label=gettext_lazy("Có hiệu lực từ"),
        required=False,
        help_text=gettext_lazy("Cho văn bản sửa đổi: ngày nội dung mới có hiệu lực."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if getattr(upload, "oversized", False) or upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(n)s).") % {"n": format_size(MAX_BYTES)}
            )
        return upload
