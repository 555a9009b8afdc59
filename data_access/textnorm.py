"""Text normalisation used to match headers, units and fields the way people type them."""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-_]+")
_PUNCT = re.compile(r"[.,;:()\[\]/\\'\"`]+")
_SPACES = re.compile(r"\s+")


def fold(text: object) -> str:
    """Fold ``text`` to a key that ignores case, diacritics, dashes, punctuation and spacing.

    ``đ``/``Đ`` (which Unicode does not decompose) become ``d``; NFC and NFD
    input give the same key.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFD", str(text))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").casefold()
    s = _DASHES.sub(" ", s)
    s = _PUNCT.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def clean(text: object) -> str:
    """NFC-normalise ``text`` and collapse runs of white space (for display and storage)."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()
