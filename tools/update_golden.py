"""Rewrite tests/golden/*.json from the current code (the cases are in tests/golden_cases.py).

Run from the repository root after a change that is meant to alter output, then review `git diff tests/golden`.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.golden_cases import CASES, GOLDEN_DIR, run_case  # noqa: E402


def main() -> None:
    os.environ["JIEGUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="jiegui-golden-")
    os.environ.pop("JIEGUI_CORPUS", None)
    GOLDEN_DIR.mkdir(exist_ok=True)
    for stale in set(GOLDEN_DIR.glob("*.json")) - {GOLDEN_DIR / f"{name}.json" for name in CASES}:
        stale.unlink()
    for name, args in CASES.items():
        (GOLDEN_DIR / f"{name}.json").write_text(run_case(args), encoding="utf-8")
        print(f"wrote tests/golden/{name}.json")


if __name__ == "__main__":
    main()
