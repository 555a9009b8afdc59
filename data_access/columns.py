"""Column codes of the data contract (``data-contract.md``) and their Vietnamese headers (``HEADERS``)."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.textnorm import fold
from data_access.texts.columns import HEADERS, ONLINE_LEVELS

KEY_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code")
TEXT_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code", "procedure_name")
REQUIRED_COLUMNS: tuple[str, ...] = ("period", "unit", "field")

#: Count columns that the template carries, in template order.
PART_COLUMNS: tuple[str, ...] = (
    "received_online_full",
    "received_online_partial",
    "received_direct",
    "received_postal",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_in_time",
    "pending_overdue",
    "withdrawn",
    "returned_postal",
    "results_digitized",
    "dossiers_digitized",
    "payments_total",
    "payments_online",
)

#: Totals stored as columns of their own, each with its parts, in dependency order.
TOTALS: dict[str, tuple[str, ...]] = {
    "received_online": ("received_online_full", "received_online_partial"),
    "received_direct_postal": ("received_direct", "received_postal"),
    "received_new": ("received_online", "received_direct_postal"),
    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending": ("pending_in_time", "pending_overdue"),
}

COUNT_COLUMNS: tuple[str, ...] = PART_COLUMNS + tuple(TOTALS)

#: Stocks (a count at one moment, ``periods.md``): over several months the period's start is its
#: first month's value, its end its last month's. Every other count column is a flow (summed).
STOCKS_AT_START: tuple[str, ...] = ("carried_over",)
STOCKS_AT_END: tuple[str, ...] = ("pending", "pending_in_time", "pending_overdue")


def split_stocks(codes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """``codes`` as (flows, stocks at the start, stocks at the end), each in the given order."""
    return (
        tuple(c for c in codes if c not in STOCKS_AT_START and c not in STOCKS_AT_END),
        tuple(c for c in codes if c in STOCKS_AT_START),
        tuple(c for c in codes if c in STOCKS_AT_END),
    )


def series_keys(by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The key of a row-series over several months, whose stocks are taken at the period's start and
    end: (unit, field), and the procedure too when grouped by procedure (a NULL procedure code is a
    series of its own). The pandas engine and the SQL sums use this one key."""
    return ("unit", "field", "procedure_code") if "procedure_code" in by else ("unit", "field")


ALL_COLUMNS: tuple[str, ...] = TEXT_COLUMNS + COUNT_COLUMNS

#: Columns of the canonical template, in the order the template shows them.
TEMPLATE_COLUMNS: tuple[str, ...] = TEXT_COLUMNS + PART_COLUMNS

#: "part must not exceed whole" checks: (part, whole columns summed).
PART_OF_WHOLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("results_digitized", ("resolved",)),
    ("returned_postal", ("resolved",)),
    ("payments_online", ("payments_total",)),
    ("dossiers_digitized", ("received_new", "carried_over")),
)


@dataclass(frozen=True)
class HeaderMatch:
    """A column code and the header it was recognised by."""

    code: str
    header: str


_HEADER_INDEX: dict[str, str] = {}
for _code, _header in HEADERS.items():
    _HEADER_INDEX[fold(_header)] = _code
    _HEADER_INDEX[fold(_code)] = _code
    _HEADER_INDEX[_code] = _code


def match_header(text: object) -> str | None:
    """Return the column code whose Vietnamese header or code matches ``text``, else ``None``."""
    key = fold(text)
    if not key:
        return None
    return _HEADER_INDEX.get(key) or _HEADER_INDEX.get(key.replace(" ", "_"))


#: Columns of the procedure catalog (danh mục TTHC, ``procedures.md``), in the file's order. The yes/no
#: attributes are ``True``/``False`` or ``None`` (unknown, never "no").
CATALOG_COLUMNS: tuple[str, ...] = (
    "procedure_code",
    "procedure_name",
    "field",
    "unit",
    "online_level",
    "full_online_eligible",
    "on_national_portal",
    "has_fee",
    "postal_allowed",
)
CATALOG_FLAGS: tuple[str, ...] = ("full_online_eligible", "on_national_portal", "has_fee", "postal_allowed")


__all__ = [
    "ALL_COLUMNS",
    "CATALOG_COLUMNS",
    "CATALOG_FLAGS",
    "COUNT_COLUMNS",
    "HEADERS",
    "KEY_COLUMNS",
    "ONLINE_LEVELS",
    "PART_COLUMNS",
    "PART_OF_WHOLE",
    "REQUIRED_COLUMNS",
    "STOCKS_AT_END",
    "STOCKS_AT_START",
    "TEMPLATE_COLUMNS",
    "TEXT_COLUMNS",
    "TOTALS",
    "HeaderMatch",
    "match_header",
    "series_keys",
    "split_stocks",
]
