"""Imports run one way: pages → ui → kpi → data_access, with vnfmt (the formats) below them all and each
layer's texts module at the bottom of its layer; kpi and data_access never import streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Lower number = lower layer; a module may import its own layer and those below it.
RANK = {"vnfmt": 0, "data_access": 1, "kpi": 2, "ui": 3, "pages": 4, "app": 5, "serve": 5}
PROJECT = set(RANK)


def _layer(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """The top-level names ``path`` imports (``data_access.store`` → ``data_access``), and full names."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def _modules() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "serve.py", ROOT / "vnfmt.py"]
    for pkg in ("data_access", "kpi", "ui", "pages"):
        files += [p for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts]
    return files


def import_graph() -> dict[str, set[str]]:
    """Layer → the project's layers it imports (for the drawing in the closing note)."""
    graph: dict[str, set[str]] = {}
    for path in _modules():
        layer = _layer(path)
        graph.setdefault(layer, set()).update({m.split(".")[0] for m in _imports(path)} & PROJECT - {layer})
    return graph


def test_imports_only_go_down() -> None:
    wrong = []
    for path in _modules():
        layer = _layer(path)
        for name in _imports(path):
            top = name.split(".")[0]
            if top in RANK and RANK[top] > RANK[layer]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_domain_and_data_never_import_streamlit() -> None:
    wrong = [
        str(p.relative_to(ROOT))
        for p in _modules()
        if _layer(p) in ("vnfmt", "data_access", "kpi")
        and any(n.split(".")[0] == "streamlit" for n in _imports(p))
    ]
    assert not wrong, wrong


def test_texts_modules_are_at_the_bottom_of_their_layer() -> None:
    """A texts module imports nothing of the project but vnfmt and other texts modules."""
    wrong = []
    for path in _modules():
        rel = path.relative_to(ROOT)
        if path.name != "texts.py" and "texts" not in rel.parts[:-1]:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] in PROJECT and parts[0] != "vnfmt" and "texts" not in parts:
                wrong.append(f"{rel} imports {name}")
    assert not wrong, "\n".join(wrong)
