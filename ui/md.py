"""Text from users and sources shown literally where Streamlit renders markdown.

``st.markdown``, ``st.caption``, ``st.info``/``warning``/``error``/``success``, ``st.toast`` and widget
labels render their text as markdown with Streamlit's extensions: images (``![](url)``, loaded from any
host), links, bold, headings, ``:red[…]`` colours, ``:material/…:`` icons and ``:emoji:`` shortcodes,
``$…$`` formulas, and GitHub's bare links (``http://…``, ``www.…``, ``a@b.c``). A file name, a value of an
external source, a user's name or an error message that quotes them goes through :func:`md_escape`
before it is put into such a text; the Vietnamese template around it stays markdown.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that start markup anywhere in a line: escaped always (CommonMark's backslash escape).
#: Every ``:`` too: Streamlit finds ``:smile:``, ``:material/…:`` and ``:red[…]`` in the text as written,
#: even after an escaped first colon, so no colon may stand without a backslash before it.
_ALWAYS = re.compile(r"([\\`*\[\]<>&~$|!:])")
#: ``_`` that could open or close emphasis: not between two letters or digits (``v_bc`` is inert).
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: What makes a block when it starts the line: a heading, a list item, a quote, a setext underline.
_LINE_START = re.compile(r"^(\d*)([#+\-=.)])")
#: Where GitHub's markdown starts a bare link: a scheme or ``www.`` (an e-mail address: at ``@``).
_BARE_LINK = re.compile(r"(?i)(?<![0-9a-z])(h)(ttps?)|(?<![0-9a-z])(w)(ww)")
#: An invisible character that ends a bare link's match but not the text a reader sees.
WORD_JOINER = "\u2060"


def plain_line(text: object) -> str:
    """``text`` on one line: control characters (line breaks, tabs, terminal escapes) as one space each,
    runs of spaces as one, none at either end."""
    chars = (" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(text))
    return " ".join("".join(chars).split())


def md_escape(text: object) -> str:
    """``text`` as markdown that Streamlit shows literally, on one line (so ``![x](http://evil/x.png)
    **KHẨN**`` shows as typed: no image, no bold, no link). Every character that could start markup is
    backslash-escaped where it could (``so-lieu_06.xlsx`` stays as it is); bare links and
    e-mail addresses are broken by an invisible word joiner."""
    line = _ALWAYS.sub(r"\\\1", plain_line(text))
    line = _UNDERSCORE.sub(r"\\_", line)
    line = _LINE_START.sub(_escape_start, line)
    line = _BARE_LINK.sub(_break_link, line)
    return line.replace("@", WORD_JOINER + "@")


def _escape_start(match: re.Match[str]) -> str:
    digits, mark = match.group(1), match.group(2)
    if (digits and mark not in ".)") or (not digits and mark in ".)"):
        return match.group(0)  # "12-…" or ".xlsx": no block starts there
    return f"{digits}\\{mark}"


def _break_link(match: re.Match[str]) -> str:
    first, rest = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return first + WORD_JOINER + rest
