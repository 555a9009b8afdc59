"""argparse in Vietnamese: the one parser class of ``python -m data_access`` and ``python -m kpi``.

argparse passes every text it prints through ``gettext`` (``argparse._`` and ``argparse.ngettext``),
and Python ships no Vietnamese catalog. :class:`VietnameseArgumentParser` therefore installs a small
translation table (argparse's own message ids, Python 3.11, → Vietnamese) while it builds itself,
formats its usage and help and parses; outside those calls argparse is left as it was, so other
parsers in the same process (pytest's, Streamlit's) keep their own language. A message id missing
from the table falls back to ``gettext``, i.e. to argparse's English.
"""

from __future__ import annotations

import argparse
import functools
import gettext
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, ParamSpec, TypeVar

#: argparse's message ids (``_('…')`` in Python 3.11's ``argparse.py``) that a user can meet.
MESSAGES_VI: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số bắt buộc",
    "options": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không nhận ra tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "giá trị không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (%(type)s): %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng được cùng với %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn viết tắt chưa rõ: %(option)s có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
#: ``ngettext`` ids (singular form) → Vietnamese, which has no plural form.
PLURAL_MESSAGES_VI: dict[str, str] = {
    "expected %s argument": "cần %s giá trị",
}
USAGE_ERROR = "Lỗi cú pháp lệnh"
SEE_HELP = "Xem hướng dẫn: {prog} -h"


def translate(message: str) -> str:
    """argparse's ``_``: the Vietnamese of a message id, else gettext's (English) text."""
    return MESSAGES_VI.get(message) or gettext.gettext(message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """argparse's ``ngettext``."""
    return PLURAL_MESSAGES_VI.get(singular) or gettext.ngettext(singular, plural, n)


@contextmanager
def vietnamese_argparse() -> Iterator[None]:
    """argparse's messages in Vietnamese inside the block; the previous functions come back after it."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


P = ParamSpec("P")
R = TypeVar("R")


def _in_vietnamese(method: Callable[P, R]) -> Callable[P, R]:
    """``method`` run with argparse's messages in Vietnamese."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with vietnamese_argparse():
            return method(*args, **kwargs)

    return wrapper


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage, help and errors are Vietnamese; wrong usage exits 2.

    Its subcommand parsers are of the same class (argparse's default ``parser_class``). Every
    method that makes argparse look up a message (group titles and ``-h`` while building, the
    errors while parsing, ``usage:`` while formatting) runs inside :func:`vietnamese_argparse`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with vietnamese_argparse():
            super().__init__(*args, **kwargs)

    add_subparsers = _in_vietnamese(argparse.ArgumentParser.add_subparsers)
    # typeshed overloads these two on the namespace type; the wrapper keeps the usual form
    parse_known_args = _in_vietnamese(argparse.ArgumentParser.parse_known_args)  # type: ignore[assignment]
    parse_args = _in_vietnamese(argparse.ArgumentParser.parse_args)  # type: ignore[assignment]
    format_usage = _in_vietnamese(argparse.ArgumentParser.format_usage)
    format_help = _in_vietnamese(argparse.ArgumentParser.format_help)

    def error(self, message: str) -> NoReturn:
        """The usage, the message and where to read more on stderr, then exit 2 (as argparse does)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{USAGE_ERROR}: {message}\n{SEE_HELP.format(prog=self.prog)}\n")


def integer(text: str) -> int:
    """An ``argparse`` type: a whole number, refused in Vietnamese."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải là số nguyên") from None


DB_HELP = "SQLAlchemy URL của cơ sở dữ liệu (mặc định: DATABASE_URL hoặc data/dashboard.db)"


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL``, the same in every command."""
    parser.add_argument("--db", metavar="URL", help=DB_HELP)


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format {table,json,…}``, default ``table``."""
    parser.add_argument("--format", choices=list(choices), default="table",
                        help=f"dạng kết quả: {', '.join(choices)} (mặc định: table)")
