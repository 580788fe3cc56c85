"""Where the project, the shared real data and the installed commands are."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent  # reindex, serve, search-cli of the running venv
