"""Encoding detection on short texts: how often a short GBK or Big5 phrase is read in the wrong encoding.

Usage: python bench/decode_short.py [--samples 500] [--seed 3]

Phrases are runs of Han characters of the bundled corpus cut to 2–10 characters; each is encoded in GBK,
and its Traditional form (OpenCC s2t) in Big5 (phrases that do not encode are left out). A phrase counts as
wrong when `decode_bytes` does not give it back exactly.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import opencc

from jiegui.text.decode import decode_bytes

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt")))
    runs = re.findall(r"[\u4e00-\u9fff]{10,}", text)
    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(args.seed)
    print("chars  GBK wrong        Big5 wrong")
    for length in (2, 3, 4, 6, 10):
        counts = {"gbk": [0, 0], "big5": [0, 0]}
        for _ in range(args.samples):
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            phrase = run[start : start + length]
            for codec, form in (("gbk", phrase), ("big5", to_traditional.convert(phrase))):
                try:
                    data = form.encode(codec)
                except UnicodeEncodeError:
                    continue
                counts[codec][1] += 1
                counts[codec][0] += decode_bytes(data, name="phrase")[0] != form
        (gw, gn), (bw, bn) = counts["gbk"], counts["big5"]
        print(f"{length:5d}  {gw:4d}/{gn:<4d} {gw / gn:6.1%}  {bw:4d}/{bn:<4d} {bw / bn:6.1%}")


if __name__ == "__main__":
    main()
