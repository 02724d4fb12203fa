"""Numeric facts: every quantity a document states, with what it measures, its year and its region.

The rules, in the order a reader applies them:
- the quantity and its unit come from `numbers.find_quantities` (dates, ordinals and names are not facts);
- `metric` is the noun phrase next to the number in its clause: the nouns right before it (skipping a
  verb or adverb such as 引进, 共, 达到), else the nouns right after it or after the next 的;
- `year` is a calendar year stated in the clause, else in the sentence (nearest first); 今年/去年/前年/
  明年 are resolved against the document's date; years inside 《》 titles do not count;
- `region` is the owner of the number: the nearest region named before it in the clause (a division
  named there that lies inside it is more precise: 在我市投资的浙江某公司); else the subject of the
  sentence, a region opening a clause before the number (目前，桐乡共有…); else the nearest region of
  the sentence; else the subject of the paragraph; else the region the article is about. A region
  introduced as a source or partner (来自上海的, 与上海, 接轨上海, 赴沪, 供沪杭等长三角城市), a verb's
  object (引进上海企业), a comparison's base (浙江的3倍) or an abbreviation inside a common word (浙商)
  is not the owner. 我市/本市 stand for the article's region, 我省 for its province; 全市/全省/该县/当地 for
  the nearest place of that kind the paragraph names. 我国/全国/国务院 name 中国. The article's region is,
  in a roundup, its item's; several places named equally make it none (the nation if named). A meeting's
  venue owns only its own clause; after a list of places, 分别 pairs figures with places and a count of
  the places goes to the region holding them; railways and stations own their figures.

The package: `places` (the places a text names, owner or not; the region an article is about),
`owner`, `metric` and `year` (one resolver each, built once per document), `spans` (clauses, sentences),
`extract` (the pipeline, filters and orders).
"""
from __future__ import annotations

from jiegui.analyses.facts.extract import (
    SortOrder,
    document_facts,
    extract_facts,
    filter_facts,
    region_namesakes,
    resolve_region,
    sort_facts,
)
from jiegui.analyses.facts.places import document_region

__all__ = [
    "SortOrder",
    "document_facts",
    "document_region",
    "extract_facts",
    "filter_facts",
    "region_namesakes",
    "resolve_region",
    "sort_facts",
]
