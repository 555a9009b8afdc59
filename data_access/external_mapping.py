"""The mapping file of the external figures source (see :mod:`data_access.external`): read and checked."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from data_access.catalog import Catalog, load_catalog
from data_access.columns import ALL_COLUMNS, REQUIRED_COLUMNS, TEXT_COLUMNS
from data_access.texts import external as T

#: How long the source may take, by default: a connection at most 10 s of it, each statement all of it.
DEFAULT_TIMEOUT_SECONDS = 60.0
#: How many rows a source may give, by default (more is refused: the figures of a department for years
#: are tens of thousands of rows; millions would take minutes and gigabytes to check).
DEFAULT_MAX_ROWS = 500_000

#: The keys of [source].
SOURCE_KEYS = ("name", "url", "url_env", "table", "schema", "refresh_minutes", "timeout_seconds", "max_rows")

#: Codes a constant may stand for: a text column, never the period (a source has one per row).
CONSTANT_CODES = tuple(c for c in TEXT_COLUMNS if c != "period")


class MappingError(ValueError):
    """The mapping file or the source it names is unusable; the message names the key."""


def mapping_error(where: str, which: str, /, **values: object) -> MappingError:
    """The error ``which`` of ``texts.external.MAPPING_ERRORS`` about the mapping file ``where``."""
    return MappingError(f"{where}: " + T.MAPPING_ERRORS[which].format(**values))


@dataclass(frozen=True)
class Mapping:
    """Where an external source's figures are and which of its columns is which contract code."""

    path: str
    name: str
    url: str = field(repr=False)  # may hold a password: never shown
    table: str
    schema: str | None
    columns: dict[str, str]  # contract code -> source column
    constants: dict[str, str]  # contract code -> value for every row
    refresh_minutes: float = 10.0
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # connecting and each statement, at most
    max_rows: int = DEFAULT_MAX_ROWS  # more rows than this are refused

    @property
    def label(self) -> str:
        """How the pages and the history name this source (the upload's file name)."""
        where = f"{self.schema}.{self.table}" if self.schema else self.table
        return T.LABEL.format(name=self.name, where=where)


def load_mapping(path: Path | str, *, catalog: Catalog | None = None) -> Mapping:
    """Read and check a mapping file; raise :class:`MappingError` naming the first bad key."""
    p = Path(path)
    where = p.name
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise mapping_error(where, "unreadable", error=exc.strerror or exc) from exc
    except tomllib.TOMLDecodeError as exc:
        raise mapping_error(where, "toml", error=exc) from exc
    for key in raw:
        if key not in ("source", "columns", "constants"):
            raise mapping_error(where, "section_unknown", key=key)
    source = _table(raw, "source", where)
    columns = _table(raw, "columns", where)
    constants = _table(raw, "constants", where, required=False)

    for key in source:
        if key not in SOURCE_KEYS:
            raise mapping_error(where, "source_key_unknown", key=key)
    url = source.get("url")
    url_env = source.get("url_env")
    if url is not None and url_env is not None:
        raise mapping_error(where, "url_both")
    if url_env is not None:
        if not isinstance(url_env, str) or not url_env.strip():
            raise mapping_error(where, "url_env_name")
        url = os.environ.get(url_env)
        if not url:
            raise mapping_error(where, "url_env_unset", name=url_env)
    if not isinstance(url, str) or not url.strip():
        raise mapping_error(where, "url_missing")
    try:
        sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise mapping_error(where, "url_invalid") from exc
    table = source.get("table")
    if not isinstance(table, str) or not table.strip():
        raise mapping_error(where, "table_missing")
    schema = source.get("schema")
    if schema is not None and (not isinstance(schema, str) or not schema.strip()):
        raise mapping_error(where, "schema_invalid")
    name = source.get("name", table)
    if not isinstance(name, str) or not name.strip():
        raise mapping_error(where, "name_invalid")
    refresh = source.get("refresh_minutes", 10)
    if isinstance(refresh, bool) or not isinstance(refresh, int | float) or refresh < 0:
        raise mapping_error(where, "refresh_invalid")
    timeout = source.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise mapping_error(where, "timeout_invalid")
    max_rows = source.get("max_rows", DEFAULT_MAX_ROWS)
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise mapping_error(where, "max_rows_invalid")

    for code, column in columns.items():
        if code not in ALL_COLUMNS:
            raise mapping_error(where, "column_code_unknown", code=code)
        if not isinstance(column, str) or not column.strip():
            raise mapping_error(where, "column_name_invalid", code=code)
    seen: dict[str, str] = {}
    for code, column in columns.items():
        if column in seen:
            raise mapping_error(where, "column_twice", column=column, first=seen[column], second=code)
        seen[column] = code
    catalog = catalog or load_catalog()
    for code, value in constants.items():
        if code not in CONSTANT_CODES:
            raise mapping_error(where, "constant_code_invalid", code=code, codes=", ".join(CONSTANT_CODES))
        if code in columns:
            raise mapping_error(where, "constant_and_column", code=code)
        if not isinstance(value, str) or not value.strip():
            raise mapping_error(where, "constant_invalid", code=code)
        if code in ("unit", "field"):
            names = catalog.units if code == "unit" else catalog.fields
            known = names.match(value)
            if known is None:
                hint = names.suggest(value)
                error = mapping_error(where, "constant_unknown", code=code, value=value)
                raise MappingError(str(error) + (T.CONSTANT_SUGGESTION.format(hint=hint) if hint else ""))
            constants[code] = known
    for code in REQUIRED_COLUMNS:
        if code not in columns and code not in constants:
            hint = T.REQUIRED_OR_CONSTANT if code in CONSTANT_CODES else ""
            raise mapping_error(where, "required_missing", code=code, hint=hint)
    return Mapping(
        str(p),
        name.strip(),
        url,
        table.strip(),
        schema.strip() if schema else None,
        dict(columns),
        dict(constants),
        float(refresh),
        float(timeout),
        max_rows,
    )


def _table(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> dict[str, Any]:
    value = raw.get(key)
    if value is None:
        if required:
            raise mapping_error(where, "section_missing", key=key)
        return {}
    if not isinstance(value, dict):
        raise mapping_error(where, "section_not_table", key=key)
    return dict(value)
