"""The property run of issue 14: 10,000 generated strings read by `jiegui facts`' code, nothing may fail.

    python bench/numbers_property.py [N]

Strings are drawn by hypothesis from Chinese and Arabic numerals, magnitudes, 点/./,, 分之/成/折/半/个百分点/%,
signs (负 - − －), approximators (几 多 余 数 来 左右 上下 二三十), units, Traditional numerals and the pieces of
URLs and titles (the strategy is tests/test_numbers.py's `quantity_texts`). Each string is read twice: by
`find_quantities`, and as a document by `document_facts` (segmented, regions, metric, year). Checked: no
exception, every fact's text == document.text[start:end], every value finite (value_max >= value).
"""
from __future__ import annotations

import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from jiegui.analyses.facts import document_facts  # noqa: E402
from jiegui.models import Document  # noqa: E402
from jiegui.analyses.regions import load_gazetteer  # noqa: E402
from jiegui.text.segment import Segmenter  # noqa: E402
from tests.test_numbers import check_text, quantity_texts  # noqa: E402


def main(examples: int) -> None:
    segmenter, gazetteer = Segmenter(), load_gazetteer()
    seen = {"examples": 0, "facts": 0}

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(quantity_texts)
    def run(text: str) -> None:
        seen["examples"] += 1
        check_text(text)
        document = Document(id="p", title=None, source=None, date=None, path="p", text=text,
                            tokens=tuple(segmenter.tokenize(text)))
        for fact in document_facts(document, gazetteer=gazetteer):
            seen["facts"] += 1
            assert document.text[fact.start:fact.end] == fact.text
            assert math.isfinite(fact.value) and (fact.value_max is None or math.isfinite(fact.value_max))

    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    print(f"property run: {seen['examples']} examples, {seen['facts']} facts, no failure, {elapsed:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
