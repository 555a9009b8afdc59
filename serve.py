"""Start the dashboard: ``streamlit run app.py`` with Streamlit's legacy ``pages/`` mode switched off.

The app routes every page with ``st.navigation`` (``ui/navigation.py``). Streamlit 1.67 still treats
a ``pages/`` folder beside the entry file as its older multipage mode until the first script run
calls ``st.navigation``; in that first run of a fresh process it looks a deep link such as
``/khoang-cach`` up among the folder's file names, fails, and shows its English "Page not found"
dialog over the right page (streamlit/streamlit#9992). ``st.navigation`` itself clears the flag
this module clears, so setting it before the server starts changes only that first run.

    .venv/bin/python serve.py [streamlit run options, e.g. --server.port 8502]
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().with_name("app.py")


def main(argv: list[str]) -> int:
    PagesManager.uses_pages_directory = False
    cli.main(["run", str(APP), *argv], prog_name="streamlit", standalone_mode=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
