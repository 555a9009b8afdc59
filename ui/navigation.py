"""The page registry: every page of the app, its place in the navigation and the permission it needs.

``app.py`` builds ``st.navigation`` from it (:func:`pages_for`), and the page tests take their page
lists from it, so a page added here is in the menu of the roles that may use it and smoke-tested.

Every page's address works for everyone: signed out, each address shows the sign-in form and, once
signed in, the page it names (:func:`sign_in_pages`); a page the role may not open says so in
Vietnamese instead of Streamlit's "Page not found". The default page is served at ``/`` and at its
own ``url_path`` too (a hidden alias), so ``/tong-quan`` is the Overview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from data_access.auth import Actor
from ui.texts import frame as T


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
    filters: bool = True  # the sidebar filters (month, unit…) change what the page shows


DASHBOARD = T.SECTION_DASHBOARD
OFFICE = T.SECTION_OFFICE

PAGES: tuple[PageEntry, ...] = (
    PageEntry(
        "pages/overview.py", T.MENU_OVERVIEW, ":material/dashboard:", "tong-quan", DASHBOARD, default=True
    ),
    PageEntry("pages/gaps.py", T.MENU_GAPS, ":material/stacked_bar_chart:", "khoang-cach", DASHBOARD),
    PageEntry("pages/trends.py", T.MENU_TRENDS, ":material/trending_up:", "xu-huong", DASHBOARD),
    PageEntry("pages/procedures.py", T.MENU_PROCEDURES, ":material/checklist:", "thu-tuc", DASHBOARD),
    PageEntry("pages/scores.py", T.MENU_SCORES, ":material/military_tech:", "diem-danh-gia", DASHBOARD),
    PageEntry("pages/whatif.py", T.MENU_WHATIF, ":material/tune:", "gia-dinh", DASHBOARD),
    PageEntry(
        "pages/upload.py",
        T.MENU_UPLOAD,
        ":material/upload_file:",
        "nhap-so-lieu",
        OFFICE,
        "upload",
        filters=False,
    ),
    PageEntry(
        "pages/admin.py",
        T.MENU_ADMIN,
        ":material/admin_panel_settings:",
        "quan-tri",
        OFFICE,
        "manage_users",
        filters=False,
    ),
)


def entries_for(actor: Actor) -> list[PageEntry]:
    """The registry's pages ``actor`` may open, in menu order."""
    return [p for p in PAGES if actor.can(p.permission)]


def _page(
    entry: PageEntry,
    source: str | Callable[[], None],
    *,
    alias: bool = False,
    title: str | None = None,
    icon: str | None = None,
) -> st.Page:
    """``entry`` as an ``st.Page`` running ``source``: the default page at ``/``, or (``alias``) hidden at
    the entry's own address."""
    home = entry.default and not alias
    return st.Page(
        source,
        title=title or entry.title,
        icon=icon or entry.icon,
        url_path="" if home else entry.url_path,
        default=home,
        visibility="hidden" if alias else "visible",
    )


def _with_aliases(
    entry: PageEntry, source: str | Callable[[], None], title: str | None = None, icon: str | None = None
) -> list[st.Page]:
    """The page, and for the default page its alias at its own address too (``/tong-quan`` as well as ``/``)."""
    aliases = (False, True) if entry.default else (False,)
    return [_page(entry, source, alias=a, title=title, icon=icon) for a in aliases]


def _refused(entry: PageEntry) -> Callable[[], None]:
    """What a page the actor's role may not open shows (typed in or bookmarked)."""

    def refused() -> None:
        st.title(T.REFUSED_TITLE)
        st.error(T.REFUSED_MESSAGE.format(page=entry.title), icon=":material/block:")

    return refused


def pages_for(actor: Actor) -> dict[str, list[st.Page]]:
    """The ``st.navigation`` argument for ``actor``: section → its pages (a section without one is left out);
    the pages it may not open are there too, hidden, saying so."""
    sections: dict[str, list[st.Page]] = {}
    refused = [_page(p, _refused(p), alias=True) for p in PAGES if not actor.can(p.permission)]
    for p in entries_for(actor):
        sections.setdefault(p.section, []).extend(_with_aliases(p, p.file))
    if sections:
        next(iter(sections.values())).extend(refused)
    return sections


def sign_in_pages(form: Callable[[], None]) -> list[st.Page]:
    """Signed out: every page's address, each running the sign-in ``form`` (the navigation is hidden)."""
    return [
        pg for p in PAGES for pg in _with_aliases(p, form, title=T.SIGN_IN_TITLE, icon=":material/login:")
    ]


def entry_at(url_path: str) -> PageEntry | None:
    """The registry entry served at ``url_path`` (``""``: the default page)."""
    return next((p for p in PAGES if url_path in (p.url_path, "" if p.default else p.url_path)), None)
