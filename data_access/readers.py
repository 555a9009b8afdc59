"""The workbook readers, kept under their old name: they live in :mod:`data_access.xlsx` now.

To lower a limit in a test, patch it where it is read: ``data_access.xlsx.guard`` for the file and
inflated sizes, ``data_access.xlsx.extent`` for ``MAX_SHEET_CELLS`` (patching it here changes nothing).
"""

from __future__ import annotations

from data_access.xlsx import *  # noqa: F403  (every public name, as listed in its __all__)
from data_access.xlsx import __all__ as __all__
