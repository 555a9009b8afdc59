"""The catalog of units and fields, kept as data (``catalog.toml``) with aliases."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from data_access.textnorm import SIMILAR_ENOUGH, clean, fold, similarity
from data_access.texts.columns import NO_FIELD

__all__ = ["CATALOG_FILE", "NO_FIELD", "Catalog", "Dictionary", "Entry", "load_catalog"]

CATALOG_FILE = Path(__file__).with_name("catalog.toml")


@dataclass(frozen=True)
class Entry:
    name: str
    short: str
    aliases: tuple[str, ...] = ()


@dataclass
class Dictionary:
    """Names of one kind (units or fields) with a folded lookup index."""

    entries: list[Entry]
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            for spelling in (e.name, e.short, *e.aliases):
                key = fold(spelling)
                if key:
                    self._index.setdefault(key, e.name)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def match(self, text: object) -> str | None:
        """Return the catalog name for ``text`` (any spelling the catalog knows), else ``None``."""
        return self._index.get(fold(text))

    def suggest(self, text: object) -> str | None:
        """The catalog name really close to ``text`` (a typo, an extra word), for an error message.

        ``None`` when no spelling the catalog knows is similar enough (:data:`SIMILAR_ENOUGH`): a
        different unit ("Phòng Công nghệ thông tin") is not offered the nearest of the others.
        """
        key = fold(text)
        if not key:
            return None
        score, best = max(
            ((similarity(key, spelling), spelling) for spelling in self._index), default=(0.0, "")
        )
        return self._index[best] if score >= SIMILAR_ENOUGH else None

    def short(self, name: str) -> str:
        for e in self.entries:
            if e.name == name:
                return e.short
        return name


@dataclass
class Catalog:
    units: Dictionary
    fields: Dictionary


def _entries(raw: list[dict[str, Any]], kind: str, path: Path) -> list[Entry]:
    out: list[Entry] = []
    for i, item in enumerate(raw):
        name = clean(item.get("name", ""))
        if not name:
            raise ValueError(f"{path}: {kind}[{i}] has no name")
        out.append(
            Entry(name, clean(item.get("short", name)), tuple(clean(a) for a in item.get("aliases", [])))
        )
    return out


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Read the catalog file (default: the shipped ``catalog.toml``)."""
    return _load_catalog(str(path or CATALOG_FILE))


@lru_cache(maxsize=8)
def _load_catalog(path: str) -> Catalog:
    p = Path(path)
    with p.open("rb") as fh:
        raw = tomllib.load(fh)
    return Catalog(
        units=Dictionary(_entries(raw.get("unit", []), "unit", p)),
        fields=Dictionary(_entries(raw.get("field", []), "field", p)),
    )
