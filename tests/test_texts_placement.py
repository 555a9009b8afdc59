"""Every Vietnamese text a user reads lives in one texts module per layer (and the formats in vnfmt).

The test walks the code's syntax trees: a string literal (f-string parts included) with a Vietnamese
letter anywhere else fails, naming file, line and the text. Docstrings are not user-facing and are
skipped; so are the tests, the frozen migrations and the sample-data generator.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Letters only Vietnamese uses among the scripts here (ASCII and plain accents like é excluded).
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]"
)
TEXT_MODULES = re.compile(r"(^|/)texts(/[^/]+)?\.py$")
#: vnfmt holds the format words; textnorm folds the letter đ (a character table, not a text)
ALLOWED = {"vnfmt.py", "data_access/textnorm.py"}
SKIPPED = re.compile(r"^(tests/|sample_data/|data_access/migrations/|benchmarks/)")


def _python_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(p for p in out if (ROOT / p).exists() and not SKIPPED.match(p))


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def vietnamese_literals(path: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal of ``path`` that holds a Vietnamese letter (docstrings skipped)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docs
            and VIETNAMESE.search(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_the_walker_finds_literals_and_skips_docstrings(tmp_path: Path) -> None:
    sample = ROOT / "tests" / "_texts_probe.py"
    sample.write_text('"""Tài liệu."""\nx = "Đạt"\ny = f"{x} điểm"\nz = "plain"\n', encoding="utf-8")
    try:
        found = vietnamese_literals("tests/_texts_probe.py")
    finally:
        sample.unlink()
    assert found == [(2, "Đạt"), (3, " điểm")]


def test_vietnamese_texts_only_in_the_texts_modules() -> None:
    offenders = []
    for path in _python_files():
        if TEXT_MODULES.search(path) or path in ALLOWED:
            continue
        offenders += [f"{path}:{line}: {text[:60]!r}" for line, text in vietnamese_literals(path)]
    assert not offenders, f"{len(offenders)} Vietnamese literals outside the texts modules:\n" + "\n".join(
        offenders[:80]
    )
