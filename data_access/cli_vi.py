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

from data_access.texts.cli import (
    DB_HELP,
    FORMAT_HELP,
    MESSAGES_VI,
    NOT_AN_INTEGER,
    PLURAL_MESSAGES_VI,
    SEE_HELP,
    USAGE_ERROR,
)

__all__ = [
    "DB_HELP",
    "MESSAGES_VI",
    "PLURAL_MESSAGES_VI",
    "SEE_HELP",
    "USAGE_ERROR",
    "VietnameseArgumentParser",
    "add_db_option",
    "add_format_option",
    "integer",
    "translate",
    "translate_plural",
    "vietnamese_argparse",
]


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
        raise argparse.ArgumentTypeError(NOT_AN_INTEGER.format(text=text)) from None


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL``, the same in every command."""
    parser.add_argument("--db", metavar="URL", help=DB_HELP)


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format {table,json,…}``, default ``table``."""
    parser.add_argument(
        "--format",
        choices=list(choices),
        default="table",
        help=FORMAT_HELP.format(choices=", ".join(choices)),
    )
