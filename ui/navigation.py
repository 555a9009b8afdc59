"""The page registry: every page of the app, its place in the navigation and the permission it needs.

``app.py`` builds ``st.navigation`` from it (:func:`pages_for`), and the page tests take their page
lists from it, so a page added here is in the menu of the roles that may use it and smoke-tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from data_access.auth import Actor


@dataclass(frozen=True)
class PageEntry:
    """One page: its file, how the menu shows it, and the permission (``data_access.auth``) it needs."""

    file: str
    title: str
    icon: str
    url_path: str
    section: str
    permission: str = "view"
    default: bool = False


DASHBOARD = "Điều hành"
OFFICE = "Văn phòng Sở"

PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/overview.py", "Tổng quan", ":material/dashboard:", "tong-quan", DASHBOARD, default=True),
    PageEntry("pages/gaps.py", "Khoảng cách", ":material/stacked_bar_chart:", "khoang-cach", DASHBOARD),
    PageEntry("pages/trends.py", "Xu hướng", ":material/trending_up:", "xu-huong", DASHBOARD),
    PageEntry("pages/whatif.py", "Giả định chỉ tiêu", ":material/tune:", "gia-dinh", DASHBOARD),
    PageEntry("pages/upload.py", "Nhập số liệu", ":material/upload_file:", "nhap-so-lieu", OFFICE, "upload"),
    PageEntry("pages/admin.py", "Quản trị", ":material/admin_panel_settings:", "quan-tri", OFFICE,
              "manage_users"),
)


def entries_for(actor: Actor) -> list[PageEntry]:
    """The registry's pages ``actor`` may open, in menu order."""
    return [p for p in PAGES if actor.can(p.permission)]


def pages_for(actor: Actor) -> dict[str, list[st.Page]]:
    """The ``st.navigation`` argument for ``actor``: section → its pages (a section without one is left out)."""
    sections: dict[str, list[st.Page]] = {}
    for p in entries_for(actor):
        sections.setdefault(p.section, []).append(
            st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default))
    return sections
