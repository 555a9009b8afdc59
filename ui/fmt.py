"""Status colours and icons of the pages; the status words come from :mod:`kpi.texts`, the formats from :mod:`vnfmt`."""

from __future__ import annotations

from kpi.texts import STATUS_LABELS as STATUS_LABELS  # re-exported: the status words the CLI prints too

__all__ = ["STATUS_COLORS", "STATUS_ICONS", "STATUS_LABELS", "STATUS_ST_COLORS"]

#: One colour per status, used by every page and figure.
STATUS_COLORS: dict[str, str] = {
    "met": "#2e7d32",
    "near": "#f9a825",
    "below": "#c62828",
    "no_data": "#9e9e9e",
}
#: The Streamlit colour name of a status (for badges and markdown).
STATUS_ST_COLORS: dict[str, str] = {"met": "green", "near": "orange", "below": "red", "no_data": "gray"}
STATUS_ICONS: dict[str, str] = {
    "met": ":material/check_circle:",
    "near": ":material/error:",
    "below": ":material/cancel:",
    "no_data": ":material/help:",
}
