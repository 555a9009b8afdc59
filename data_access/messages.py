"""The issues the readers and the store report: ``Issue``, ``IssueList`` and ``msg`` (texts in ``texts.messages``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_access.texts.messages import (
    ISSUE_COLUMN,
    ISSUE_ROW,
    ISSUE_SHEET,
    ISSUE_VALUE,
    LABEL_ERROR,
    LABEL_WARNING,
    MESSAGES,
)

__all__ = ["MESSAGES", "Issue", "IssueList", "column_letter", "msg"]


@dataclass(frozen=True)
class Issue:
    """One error or warning about an uploaded file, located as Excel shows it."""

    level: str  # "error" or "warning"
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: object = None
    col_index: int | None = None  # 0-based column in the sheet, for highlighting
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def where(self) -> str:
        """Where the issue is: file, sheet, Excel row and column, as Excel names them."""
        parts = [p for p in (self.file, self.sheet and ISSUE_SHEET.format(sheet=self.sheet)) if p]
        if self.row is not None:
            parts.append(ISSUE_ROW.format(row=self.row))
        if self.column:
            letter = f" ({column_letter(self.col_index)})" if self.col_index is not None else ""
            parts.append(ISSUE_COLUMN.format(column=self.column, letter=letter))
        return ", ".join(parts)

    def format(self) -> str:
        """One line for the command line: where, the value, the message."""
        shown = self.value
        if isinstance(shown, float) and shown.is_integer():
            shown = int(shown)  # Excel keeps every number as a float: show -3, not -3.0
        blank = shown is None or (isinstance(shown, str) and not shown.strip())
        value = "" if blank else ISSUE_VALUE.format(value=shown)
        label = LABEL_ERROR if self.is_error else LABEL_WARNING
        where = self.where()
        return f"{label}: {where}: {self.message}{value}" if where else f"{label}: {self.message}{value}"

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
        }


def msg(code: str, **kwargs: object) -> str:
    """The Vietnamese message for ``code`` with its placeholders filled."""
    if code in ("unit_unknown", "field_unknown") and not kwargs.get("suggestion"):
        code = f"{code}_far"  # no close name: say so, and where to add one
    return MESSAGES[code].format(**kwargs)


def column_letter(index: int | None) -> str:
    """Excel column letter for a 0-based index (0 → A, 26 → AA)."""
    if index is None:
        return ""
    n = index + 1
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class IssueList:
    """Mixin for results that carry ``issues``: their errors, warnings and whether all is well."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors
