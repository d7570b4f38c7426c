"""The house rules of docs/DEVELOPING.md that a machine can check on the source itself.

- No product module grows past about 500 lines: a module that does is split into a package by
  topic (the limit here leaves a little room; settings are one flat list and are exempt).
- An import of the project's own modules inside a function says why it must be lazy
  (`# lazy: <reason>` on its line or the line above): app loading order in `AppConfig.ready`,
  a heavy stack a command loads only when asked. Every other import sits at the top, so the
  way the modules depend on each other is visible and checked by import-linter.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
MAX_LINES = 550
EXEMPT = {"config/settings.py"}


def _product_modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not {"migrations", "tests"} & set(p.relative_to(PACKAGE).parts)
    ]


def test_the_walk_sees_the_product_modules() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in _product_modules()}
    assert {"feedback/rules.py", "core/images.py", "text/vietnamese.py"} <= names


def test_no_product_module_is_over_about_500_lines() -> None:
    long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in _product_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not {k: v for k, v in long.items() if k not in EXEMPT}, (
        f"split these into packages by topic: {long}"
    )


def _lazy_imports_without_a_reason(path: Path, root: Path = PACKAGE) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                own = inner.level > 0 or (inner.module or "").startswith("congdoan")
            elif isinstance(inner, ast.Import):
                own = any(a.name.startswith("congdoan") for a in inner.names)
            else:
                continue
            if not own:
                continue
            start, end = inner.lineno - 1, inner.end_lineno or inner.lineno
            if not any("# lazy" in line for line in lines[max(start - 1, 0) : end]):
                found.append(f"{path.relative_to(root)}:{inner.lineno}")
    return found


def test_every_import_inside_a_function_says_why_it_is_lazy() -> None:
    missing = [hit for p in _product_modules() for hit in _lazy_imports_without_a_reason(p)]
    assert not missing, f"move these imports to the top, or say '# lazy: <reason>': {missing}"


def test_the_check_finds_an_import_without_a_reason(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from congdoan.core import images\n    return images\n")
    assert _lazy_imports_without_a_reason(module, tmp_path) == ["probe.py:2"]
    module.write_text("def f():\n    from congdoan.core import images  # lazy: a test\n")
    assert _lazy_imports_without_a_reason(module, tmp_path) == []
