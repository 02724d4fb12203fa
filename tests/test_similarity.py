"""Document similarity: the model, the blocked all-pairs search, the quality bar on the bundled corpus."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from jiegui.analyses import similarity
from jiegui.cli import app
from jiegui.errors import InputError, JieguiError
from jiegui.models import Document, DuplicateGroup
from jiegui.text.segment import Segmenter

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"

CONFERENCE_REPORTS = ("jiaxing-qiaotoubao", "xiao-jiaxing-da-yexin")  # both report the 2017-07-28 conference
MEDICAL_QUERY = "引进上海优质医疗资源，本地医院与上海医院合作，专家坐诊，异地就医医保结算"

runner = CliRunner()


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


def make_document(doc_id: str, text: str, segmenter: Segmenter) -> Document:
    return Document(doc_id, None, None, None, f"{doc_id}.txt", text, (), tuple(segmenter.tokenize(text)))


@pytest.fixture(scope="module")
def file_docs(segmenter) -> list[Document]:
    """The bundled corpus's files, one document each (no article splitting): real text, independent of corpus.py."""
    return [make_document(p.stem, p.read_text(encoding="utf-8"), segmenter) for p in sorted(CORPUS_DIR.glob("*.txt"))]


@pytest.fixture(scope="module")
def file_index(file_docs, segmenter) -> similarity.SimilarityIndex:
    return similarity.build_index(file_docs)


@pytest.fixture(scope="module")
def corpus_index(corpus_docs, segmenter) -> similarity.SimilarityIndex:
    return similarity.build_index(corpus_docs)


def lightly_edited(text: str) -> str:
    """A copy as a second outlet would run it: first sentence dropped, one phrase reworded, a line added."""
    first_end = text.index("。") + 1
    body = text[first_end:]
    return body.replace("上海", "沪", 1) + "\n（本文有删节）"


# ---------------------------------------------------------------- terms
def test_content_terms_are_content_words_and_adjacent_bigrams(segmenter):
    tokens = segmenter.tokenize("7月28日,嘉兴召开加快推进浙江省全面接轨上海示范区建设大会,签约了一大批重磅产业项目。")
    words = ["嘉兴", "召开", "浙江省", "接轨上海", "示范区", "建设", "大会", "签约", "重磅", "产业", "项目"]
    assert similarity.content_terms(tokens, segmenter.stopwords) == words
    assert similarity.content_terms(tokens, segmenter.stopwords, ngrams=2) == words + [
        "嘉兴 召开", "接轨上海 示范区", "示范区 建设", "建设 大会", "重磅 产业", "产业 项目",
    ]


def test_vectors_are_l2_normalised_sublinear_tfidf(file_index):
    norms = np.sqrt(np.asarray(file_index.matrix.multiply(file_index.matrix).sum(axis=1)).ravel())
    assert norms == pytest.approx([1.0] * 5, abs=1e-5)
    assert file_index.vectorizer.sublinear_tf is True
    assert file_index.matrix.shape == (5, len(file_index.terms))


# ---------------------------------------------------------------- exactness of the blocked search
def brute_force_pairs(index, top):
    dense = (index.matrix @ index.matrix.T).toarray()
    n = dense.shape[0]
    pairs = [(float(dense[i, j]), i, j) for i in range(n) for j in range(i + 1, n) if dense[i, j] > 0]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [(index.ids[i], index.ids[j], round(s, 4)) for s, i, j in pairs[:top]]


@pytest.mark.parametrize("block_cells, jobs", [(1, 1), (7, 2), (10_000, 1)])
def test_blocked_top_pairs_equal_brute_force(file_index, block_cells, jobs):
    pairs = similarity.most_similar_pairs(file_index, top=6, block_cells=block_cells, jobs=jobs)
    assert [(p.a, p.b, p.score) for p in pairs] == brute_force_pairs(file_index, 6)


def test_min_score_filters_pairs(file_index):
    all_pairs = similarity.most_similar_pairs(file_index, top=10)
    assert len(all_pairs) == 10  # 5 documents: every pair shares words
    kept = similarity.most_similar_pairs(file_index, top=10, min_score=all_pairs[3].score)
    # --min-score compares with the score as printed: the fourth pair itself passes its own score
    assert kept == [p for p in all_pairs if p.score >= all_pairs[3].score]
    assert 4 <= len(kept) < 10 and kept[3] == all_pairs[3]


def test_shared_terms_are_the_largest_contributions(file_index):
    pair = similarity.nearest(file_index, "jiaxing-qiaotoubao", top=1)[0]
    a = file_index.matrix[file_index.position(pair.a)].toarray().ravel()
    b = file_index.matrix[file_index.position(pair.b)].toarray().ravel()
    contribution = a * b
    best = np.argsort(-contribution, kind="stable")[:5]
    assert set(pair.shared_terms) == {str(file_index.terms[k]) for k in best}
    assert float(contribution.sum()) == pytest.approx(pair.score, abs=1e-4)


# ---------------------------------------------------------------- quality bar, on the bundled corpus as articles
def test_conference_reports_are_each_others_nearest(corpus_index):
    first, second = CONFERENCE_REPORTS
    assert similarity.nearest(corpus_index, first, top=1)[0].b == second
    assert similarity.nearest(corpus_index, second, top=1)[0].b == first


def test_lightly_edited_copy_scores_high_and_is_grouped(corpus_docs, segmenter):
    original = next(d for d in corpus_docs if d.id == "nanhu-jiegui-shanghai")
    copy = make_document("copy-of-nanhu", lightly_edited(original.text), segmenter)
    index = similarity.build_index([*corpus_docs, copy])
    best = similarity.nearest(index, "copy-of-nanhu", top=1)[0]
    assert best.b == "nanhu-jiegui-shanghai"
    assert best.score >= 0.9
    groups = similarity.duplicate_groups(index, threshold=0.9)
    assert [g.documents for g in groups if "copy-of-nanhu" in g.documents] == [("nanhu-jiegui-shanghai", "copy-of-nanhu")]
    group = next(g for g in groups if "copy-of-nanhu" in g.documents)
    assert group.min_score == group.max_score == best.score


def test_medical_query_ranks_medical_articles_first(corpus_docs, corpus_index, segmenter):
    ranked = similarity.rank_text(corpus_index, MEDICAL_QUERY, segmenter=segmenter, top=3)
    assert all(p.a == similarity.QUERY_LABEL for p in ranked)
    # "About medicine", measured without TF-IDF: the share of the characters of a text that are 医.
    density = {d.id: d.text.count("医") / len(d.text) for d in corpus_docs}
    most_medical = sorted(density, key=density.get, reverse=True)
    assert ranked[0].b == most_medical[0]
    assert {p.b for p in ranked[:2]} <= set(most_medical[:3])
    assert {"医院", "医疗"} <= set(ranked[0].shared_terms)


def test_matrix_is_symmetric_with_unit_diagonal(corpus_index):
    matrix = similarity.similarity_matrix(corpus_index)
    n = len(matrix.ids)
    assert matrix.ids == corpus_index.ids
    assert all(matrix.scores[i][i] == 1.0 for i in range(n))
    assert all(matrix.scores[i][j] == matrix.scores[j][i] for i in range(n) for j in range(n))


# ---------------------------------------------------------------- bad input
def test_matrix_refuses_large_corpora(file_index):
    with pytest.raises(JieguiError, match=r"corpus has 5 documents; the matrix is shown for at most 4$"):
        similarity.similarity_matrix(file_index, max_docs=4)


def test_unknown_id_suggests_close_ids(file_index):
    with pytest.raises(InputError, match=r"no document with id 'jiaxing'; did you mean jiaxing-qiaotoubao, xiao-jiaxing-da-yexin\?"):
        similarity.nearest(file_index, "jiaxing")


@pytest.mark.parametrize("text, message", [
    ("  \n", "the query text is empty"),
    ("的了，和。", "the query has no content words"),
])
def test_bad_queries(file_index, segmenter, text, message):
    with pytest.raises(InputError, match=message):
        similarity.rank_text(file_index, text, segmenter=segmenter)


def test_query_with_unknown_words_matches_nothing(file_index, segmenter):
    assert similarity.rank_text(file_index, "恐龙化石", segmenter=segmenter) == []


@pytest.mark.parametrize("call, message", [
    (lambda ix: similarity.most_similar_pairs(ix, top=0), "top must be at least 1"),
    (lambda ix: similarity.nearest(ix, "jiaxing-qiaotoubao", min_score=1.5), "min_score is a cosine similarity"),
    (lambda ix: similarity.duplicate_groups(ix, threshold=0), "threshold must be above 0"),
])
def test_bad_parameters(file_index, call, message):
    with pytest.raises(JieguiError, match=message):
        call(file_index)


def test_bad_corpora(segmenter):
    with pytest.raises(JieguiError, match="ngrams must be 1"):
        similarity.build_index([], ngrams=3)
    only_stopwords = [make_document("a", "的了和。", segmenter), make_document("b", "我们，他们。", segmenter)]
    with pytest.raises(InputError, match="no content words in the corpus"):
        similarity.build_index(only_stopwords)
    with pytest.raises(InputError, match="two documents have the id 'a'"):
        similarity.index_terms(["a", "a"], [["嘉兴"], ["上海"]])


def test_single_document_has_no_pairs_or_groups(segmenter):
    index = similarity.build_index([make_document("one", "嘉兴接轨上海。", segmenter)])
    assert similarity.most_similar_pairs(index) == []
    assert similarity.nearest(index, "one") == []
    assert similarity.duplicate_groups(index) == []


def test_duplicate_groups_chain_by_single_linkage():
    index = similarity.index_terms(
        ["a", "b", "c", "d"],
        [["嘉兴", "上海", "接轨"], ["嘉兴", "上海", "接轨"], ["嘉兴", "上海", "接轨"], ["桐乡", "乌镇"]],
    )
    assert similarity.duplicate_groups(index, threshold=0.9) == [DuplicateGroup(1, ("a", "b", "c"), 1.0, 1.0)]


# ---------------------------------------------------------------- command line
def invoke(*args: str):
    return runner.invoke(app, ["similar", *args])


def test_cli_pairs_json_fields():
    result = invoke("--top", "3", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    assert list(rows[0]) == ["a", "b", "score", "shared_terms"]
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]


def test_cli_nearest_and_query():
    result = invoke(CONFERENCE_REPORTS[0], "--top", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert [(r["a"], r["b"]) for r in json.loads(result.stdout)] == [CONFERENCE_REPORTS]
    result = invoke("--text", MEDICAL_QUERY, "--top", "2", "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["a"] for r in json.loads(result.stdout)] == ["<query>", "<query>"]


def test_cli_query_file(tmp_path):
    query = tmp_path / "query.txt"
    query.write_bytes(MEDICAL_QUERY.encode("gbk"))
    by_file = invoke("--file", str(query), "--top", "2", "--json")
    by_text = invoke("--text", MEDICAL_QUERY, "--top", "2", "--json")
    assert by_file.exit_code == 0, by_file.stderr
    assert [(r["b"], r["score"]) for r in json.loads(by_file.stdout)] == [
        (r["b"], r["score"]) for r in json.loads(by_text.stdout)
    ]
    assert json.loads(by_file.stdout)[0]["a"] == str(query)


def test_cli_duplicates_and_matrix_formats():
    result = invoke("--duplicates", "--threshold", "0.9", "--json")
    assert result.exit_code == 0, result.stderr
    assert all(set(g) == {"group", "documents", "min_score", "max_score"} for g in json.loads(result.stdout))
    result = invoke("--matrix", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    ids = lines[0].split(",")[1:]
    assert lines[0].startswith("doc,") and len(lines) == len(ids) + 1
    assert lines[1].split(",")[1] == "1"


@pytest.mark.parametrize("args, code, message", [
    (["no-such-doc"], 1, "jiegui: error: no document with id 'no-such-doc'; `jiegui corpus` lists the ids"),
    (["--text", "嘉兴", "--file", "q.txt"], 2, ""),
    (["--file", "/no/such/query.txt"], 1, "jiegui: error: query file not found: /no/such/query.txt"),
    (["--matrix", "--duplicates"], 2, ""),
])
def test_cli_bad_input(args, code, message):
    result = invoke(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    if message:
        assert result.stderr.strip() == message


def test_cli_help_names_every_mode():
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--text", "--file", "--matrix", "--duplicates", "--threshold", "--top", "--min-score", "--ngrams"):
        assert option in result.stdout


def test_vectors_keep_their_top_terms(file_docs, segmenter):
    pruned = similarity.build_index(file_docs, max_terms=20)
    full = similarity.build_index(file_docs, max_terms=None)
    assert np.diff(pruned.matrix.indptr).tolist() == [20] * 5
    assert np.diff(full.matrix.indptr).min() > 20
    for row in range(5):
        weights = full.matrix[row].toarray().ravel()
        kept = set(pruned.matrix[row].indices.tolist())
        assert kept == set(np.argsort(-weights, kind="stable")[:20].tolist())
    with pytest.raises(JieguiError, match="max_terms must be at least 1"):
        similarity.build_index(file_docs, max_terms=0)


def test_a_traditional_copy_matches_its_simplified_original(corpus_docs, segmenter):
    import opencc

    original = next(d for d in corpus_docs if d.id == "nanhu-jiegui-shanghai")
    copy = make_document("traditional-nanhu", opencc.OpenCC("s2t").convert(original.text), segmenter)
    index = similarity.build_index([*corpus_docs, copy])
    best = similarity.nearest(index, "traditional-nanhu", top=1)[0]
    assert best.b == "nanhu-jiegui-shanghai"
    assert best.score >= 0.99
    query = opencc.OpenCC("s2t").convert(MEDICAL_QUERY)
    assert similarity.rank_text(index, query, segmenter=segmenter, top=1)[0].b == \
        similarity.rank_text(index, MEDICAL_QUERY, segmenter=segmenter, top=1)[0].b


# ---------------------------------------------------------------- large corpora: the MinHash LSH path
GENERATED_DOCS = 1_500


def generated_index(
    file_docs, segmenter, *, copies: float, seed: int = 7, size: int = GENERATED_DOCS
) -> similarity.SimilarityIndex:
    """Documents made of the bundled files' sentences, as bench/similarity_scale.py makes them: windows of
    10–20 consecutive sentences with a quarter swapped at random, and a share of lightly edited copies."""
    import random

    sentences = []
    for doc in file_docs:
        current: list = []
        for token in doc.tokens:
            current.append(token)
            if token.text in "。！？":
                terms = similarity.content_terms(current, segmenter.stopwords)
                if terms:
                    sentences.append(terms)
                current = []
    rng = random.Random(seed)
    docs: list[list[list[str]]] = []
    for _ in range(size):
        if docs and rng.random() < copies:
            source = list(rng.choice(docs))
            source.pop(rng.randrange(len(source)))
            source[rng.randrange(len(source))] = rng.choice(sentences)
            docs.append(source)
            continue
        length = rng.randint(10, 20)
        start = rng.randrange(len(sentences) - length)
        docs.append([rng.choice(sentences) if rng.random() < 0.25 else s for s in sentences[start : start + length]])
    ids = [f"gen{i:05d}" for i in range(len(docs))]
    return similarity.index_terms(ids, [[t for s in doc for t in s] for doc in docs])


@pytest.fixture(scope="module")
def copies_index(file_docs, segmenter) -> similarity.SimilarityIndex:
    return generated_index(file_docs, segmenter, copies=0.05)


def exact_path(monkeypatch) -> None:
    monkeypatch.setattr(similarity, "LSH_MIN_DOCS", 10**9)


def fast_path_only(monkeypatch, min_docs: int = GENERATED_DOCS) -> None:
    """The LSH path, with the blocked products made to fail: a test that passes did not use them."""
    def blocked(*args, **kwargs):
        raise AssertionError("the exact blocked path ran")

    monkeypatch.setattr(similarity, "LSH_MIN_DOCS", min_docs)
    monkeypatch.setattr(similarity, "_upper_candidates", blocked)


def test_lsh_path_finds_the_exact_top_pairs_and_groups(copies_index, monkeypatch):
    with monkeypatch.context() as patch:
        fast_path_only(patch)
        fast_pairs = similarity.most_similar_pairs(copies_index, top=20)
        fast_groups = similarity.duplicate_groups(copies_index, threshold=0.9)
    exact_path(monkeypatch)
    exact_pairs = similarity.most_similar_pairs(copies_index, top=20)
    exact_groups = similarity.duplicate_groups(copies_index, threshold=0.9)
    assert len(exact_groups) >= 30 and exact_pairs[-1].score >= 0.9  # the copies are there to be found
    assert fast_pairs == exact_pairs  # same pairs, same printed scores and shared terms, same order
    assert fast_groups == exact_groups


def test_lsh_links_have_the_blocked_products_scores_bit_for_bit(copies_index):
    i, j, s = similarity._lsh_links(copies_index.matrix, 0.9)
    ei, ej, es = similarity._upper_candidates(copies_index, GENERATED_DOCS, 0.9, similarity.BLOCK_CELLS)
    exact = {(a, b): score for a, b, score in zip(ei.tolist(), ej.tolist(), es.tolist())}
    found = {(a, b): score for a, b, score in zip(i.tolist(), j.tolist(), s.tolist())}
    assert len(found.keys() & exact.keys()) >= 0.99 * len(exact) and found.keys() <= exact.keys()
    assert all(found[pair] == exact[pair] for pair in found)  # float32 values, compared exactly


# ---------------------------------------------------------------- large corpora: the top-n sparse product path
RELATED_DOCS = 3_000


@pytest.fixture(scope="module")
def related_index(file_docs, segmenter) -> similarity.SimilarityIndex:
    """No copies: the best pairs are overlapping windows, related documents scoring below LSH_MIN_SCORE."""
    return generated_index(file_docs, segmenter, copies=0.0, size=RELATED_DOCS)


def grouped_pairs(groups) -> set[tuple[str, str]]:
    return {(a, b) for g in groups for k, a in enumerate(g.documents) for b in g.documents[k + 1 :]}


@pytest.mark.parametrize("top", [50, 200])
def test_related_top_pairs_from_the_topn_product_equal_the_exact_ones(related_index, monkeypatch, top):
    exact_path(monkeypatch)
    exact = similarity.most_similar_pairs(related_index, top=top)
    assert exact[-1].score < similarity.LSH_MIN_SCORE  # LSH gives fewer than `top`: the top-n product must add them
    fast_path_only(monkeypatch, RELATED_DOCS)
    assert similarity.most_similar_pairs(related_index, top=top) == exact


def test_duplicates_below_the_lsh_score_from_the_topn_product(related_index, monkeypatch):
    exact_path(monkeypatch)
    exact = grouped_pairs(similarity.duplicate_groups(related_index, threshold=0.7))
    assert len(exact) >= 100  # overlapping windows score ≥ 0.7
    fast_path_only(monkeypatch, RELATED_DOCS)
    fast = grouped_pairs(similarity.duplicate_groups(related_index, threshold=0.7))
    assert fast <= exact and len(fast) >= 0.99 * len(exact)


def test_topn_links_have_the_blocked_products_scores_bit_for_bit(related_index):
    i, j, s = similarity._topn_links(related_index.matrix, 0.5)
    ei, ej, es = similarity._upper_candidates(related_index, RELATED_DOCS, 0.5, similarity.BLOCK_CELLS)
    exact = {(a, b): score for a, b, score in zip(ei.tolist(), ej.tolist(), es.tolist())}
    found = {(a, b): score for a, b, score in zip(i.tolist(), j.tolist(), s.tolist())}
    assert found.keys() <= exact.keys() and len(found) >= 1000
    assert all(found[pair] == exact[pair] for pair in found)  # float32 values, compared exactly


def test_top_weights_keeps_each_rows_largest_weights_lower_column_first():
    import scipy.sparse as sp

    matrix = sp.csr_matrix([[0.1, 0.5, 0.5, 0.0, 0.2], [0.0, 0.0, 0.3, 0.0, 0.0], [0.4, 0.1, 0.0, 0.9, 0.0]])
    assert similarity._top_weights(matrix, 2).toarray().tolist() == [  # weights copied, not scaled
        [0.0, 0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.3, 0.0, 0.0], [0.4, 0.0, 0.0, 0.9, 0.0]]
    assert similarity._top_weights(matrix, 1).toarray()[0].tolist() == [0.0, 0.5, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("min_bands", [1, similarity.LSH_BANDS + 1])  # candidates that all fail, or none at all
def test_lsh_path_without_links_finds_no_groups(monkeypatch, min_bands):
    index = similarity.index_terms(["a", "b", "c", "d"], [["嘉兴", "上海"], ["嘉兴", "上海", "接轨"], ["桐乡"], ["乌镇"]])
    fast_path_only(monkeypatch, min_docs=1)
    monkeypatch.setattr(similarity, "LSH_MIN_BANDS", min_bands)
    assert similarity.duplicate_groups(index, threshold=0.95) == []
    assert similarity.most_similar_pairs(index, min_score=0.95) == []
