"""Golden files: every command's JSON on the bundled corpus, byte for byte.

A change that alters any output fails here; if the change is meant, regenerate with
`python tools/update_golden.py` and review the diff of `tests/golden/` in the commit.
"""
from __future__ import annotations

import pytest

from tests.golden_cases import CASES, GOLDEN_DIR, run_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_command_output_matches_golden_file(name: str) -> None:
    expected = (GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8")
    assert run_case(CASES[name]) == expected, f"{name}: output changed; see tools/update_golden.py"


def test_every_golden_file_has_a_case() -> None:
    assert sorted(p.stem for p in GOLDEN_DIR.glob("*.json")) == sorted(CASES)
