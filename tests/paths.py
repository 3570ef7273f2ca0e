"""Where the tests find the repository, their own data and the optional shared data."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA = REPO.parent / "shared" / "data"  # present in CI; tests that need it skip without it
