"""Text normalisation used to match headers, units and fields the way people type them."""

from __future__ import annotations

import difflib
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


#: Words that open many unit names ("Phòng …", "P. …", "… Sở"): they say nothing about which one.
GENERIC_WORDS = frozenset({"phong", "p", "so"})
#: How alike two folded names must be (0–1) for one to be offered as "did you mean" for the other.
SIMILAR_ENOUGH = 0.75


def _core(key: str) -> str:
    words = [w for w in key.split() if w not in GENERIC_WORDS]
    return " ".join(words) or key


def similarity(a: object, b: object) -> float:
    """How alike two names are, 0–1, on their folded text without the generic words.

    The higher of the character similarity and a token rule: when every word of ``a`` is a word of
    ``b`` ("Tài chính" in "Kế hoạch – Tài chính") the two count as alike (0.8).
    """
    ka, kb = _core(fold(a)), _core(fold(b))
    if not ka or not kb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
    words_a, words_b = set(ka.split()), set(kb.split())
    contained = 0.8 if len(words_a) >= 2 and words_a <= words_b else 0.0
    return max(ratio, contained)
