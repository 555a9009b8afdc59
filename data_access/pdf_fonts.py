"""The PDFs' font: DejaVu Sans from inside the matplotlib wheel (every Vietnamese glyph, no system
font package needed), a Vietnamese subset of it that embeds about three times faster, and its widths."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF

FAMILY = "DejaVu"
#: What the subset keeps: Latin with every Vietnamese letter, combining marks, punctuation
#: (dashes, quotes, ellipsis), currency signs, arrows and the minus sign.
VI_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2190, 0x21FF),
    (0x2212, 0x2212),
)
VI_CHARS = frozenset(chr(c) for lo, hi in VI_RANGES for c in range(lo, hi + 1))


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, Path]:
    """(regular, bold) DejaVu Sans from matplotlib's own data folder."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _subset(source: Path, target: Path) -> None:
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = []  # fpdf2 does not shape text: no GSUB/GPOS needed
    options.drop_tables += ["FFTM"]
    font = TTFont(source)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[ord(c) for c in VI_CHARS])
    cutter.subset(font)
    partial = target.with_suffix(f".{os.getpid()}.part")
    font.save(partial)
    os.replace(partial, target)  # atomic: another process may be writing the same file


@lru_cache(maxsize=1)
def vi_font_files() -> tuple[Path, Path] | None:
    """:func:`font_files` cut down to :data:`VI_CHARS`, written once per machine in the temporary
    folder; ``None`` when that folder cannot be written (then the full files are used)."""
    out = []
    try:
        for source in font_files():
            stat = source.stat()
            key = hashlib.sha256(
                f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{VI_RANGES}".encode()
            ).hexdigest()
            target = Path(tempfile.gettempdir()) / "dvctt-fonts" / f"{source.stem}-vi-{key[:16]}.ttf"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                _subset(source, target)
            out.append(target)
    except OSError:
        return None
    return out[0], out[1]


def fonts_for(chars: Iterable[str]) -> tuple[Path, Path]:
    """The (regular, bold) files to embed for a document using ``chars``: the subset when it has them all."""
    if set(chars) <= VI_CHARS and (small := vi_font_files()) is not None:
        return small
    return font_files()


@lru_cache(maxsize=1)
def _char_widths() -> tuple[Any, Any]:
    """The advance widths (per mille of the size) of the regular and the bold font, read once."""
    probe = FPDF()
    regular, bold = font_files()
    probe.add_font(FAMILY, "", regular)
    probe.add_font(FAMILY, "B", bold)
    return probe.fonts[FAMILY.lower()].cw, probe.fonts[FAMILY.lower() + "B"].cw


def text_width(text: str, *, bold: bool = False, size: float = 8.0) -> float:
    """The width of ``text`` in mm, in DejaVu Sans (bold) at ``size`` points."""
    cw = _char_widths()[1 if bold else 0]
    return float(sum(cw[ord(c)] for c in text) * size * 0.001 * 25.4 / 72)
