#!/usr/bin/env bash
# Set up (first time) and run the dashboard on http://localhost:8501.
# Default database: SQLite at data/dashboard.db; the sample data is loaded on first start.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
exec .venv/bin/python serve.py --server.port "${PORT:-8501}" "$@"
