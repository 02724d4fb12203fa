"""`--scheduler`: the commands on a Dask cluster print exactly what they print locally.

One LocalCluster of 2 worker processes serves the whole module (starting one costs ~2 s).
"""
from __future__ import annotations

import functools
import itertools
import os
import random
import re
import signal
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("dask.distributed")

from typer.testing import CliRunner  # noqa: E402

from jiegui.cli import app  # noqa: E402

from .conftest import CORPUS_DIR, write_generated_corpus  # noqa: E402

runner = CliRunner()

COMMANDS = [["corpus"], ["keywords"], ["entities"], ["facts"], ["similar"], ["segment"], ["phrases", "--min-count", "2"],
            ["similar", "--duplicates", "--threshold", "0.3"], ["similar", "--top", "30", "--ngrams", "2", "--max-terms", "0"]]
VARIANTS = [["keywords", "--by-doc", "--top", "3"], ["entities", "--mentions", "--type", "PLACE"],
            ["similar", "--duplicates", "--threshold", "0.5"], ["similar", "jiaxing-qiaotoubao", "--top", "3"],
            ["similar", "--text", "平湖市新埭镇引进上海项目", "--min-score", "0.05"], ["similar", "--matrix"],
            ["segment", "--doc", "jiaxing-qiaotoubao"], ["show", "jiaxing-qiaotoubao"], ["show", "jiaxing-qiaotoubao", "--raw"],
            ["phrases"], ["phrases", "--min-count", "2", "--min-pmi", "2.5", "--min-entropy", "0.5", "--top", "15"],
            ["keywords", "--doc", "jiaxing-qiaotoubao"], ["keywords", "--method", "textrank", "--pos", "all"]]
GENERATED_VARIANTS = [["phrases", "--min-count", "4", "--min-entropy", "1.5"], ["similar", "part1/compilation#2"], ["show", "part0/sub/news00", "--raw"], ["keywords", "--by-doc", "--top", "3"],
                      ["keywords", "--doc", "part1/compilation#2", "--method", "textrank"]]
CASES = ([("bundled", c) for c in COMMANDS + VARIANTS] + [("generated", c) for c in COMMANDS + GENERATED_VARIANTS])


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, Client(local) as client:
        yield local.scheduler_address, client


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory) -> Path:
    """40 files in nested folders and a compilation, most with a sign-off."""
    return write_generated_corpus(tmp_path_factory.mktemp("generated"), files=40, seed=12, dated=False)


@pytest.fixture(scope="module")
def larger_corpus(tmp_path_factory) -> Path:
    """More documents than the report's similarity heat map shows (MATRIX_DOCS, 60)."""
    return write_generated_corpus(tmp_path_factory.mktemp("larger"), files=64, seed=6, dated=True)


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("which, command", CASES, ids=[f"{w}-{' '.join(c)}" for w, c in CASES])
def test_cluster_prints_what_a_local_run_prints(cluster, generated_corpus, command, which):
    corpus = str(CORPUS_DIR if which == "bundled" else generated_corpus)
    local = run(*command, "-c", corpus, "--json")
    assert local[0] == 0, local[2]
    assert run(*command, "-c", corpus, "--json", "--scheduler", cluster[0]) == local


REPORTS = [("bundled", []), ("generated", ["--top", "7", "--stopwords", "STOPWORDS"]), ("larger", [])]


@pytest.mark.parametrize("which, options", REPORTS, ids=[f"{w}{' '.join(o)}" for w, o in REPORTS])
def test_report_on_the_cluster_is_the_local_page(cluster, generated_corpus, larger_corpus, monkeypatch, tmp_path, which, options):
    """`report` on the cluster writes the local run's page byte for byte (its minute of generation
    aside), while no document reaches the client: the sections' inputs are made on the workers. The
    larger corpus has more documents than the similarity heat map shows (its choice of documents)."""
    from jiegui import distributed
    from jiegui.output.report import MATRIX_DOCS

    corpus = {"bundled": CORPUS_DIR, "generated": generated_corpus, "larger": larger_corpus}[which]
    stopwords = tmp_path / "stopwords.txt"
    stopwords.write_text("嘉兴\n上海\n项目\n", encoding="utf-8")
    options = [str(stopwords) if o == "STOPWORDS" else o for o in options]
    pages = []
    for where in ([], ["--scheduler", cluster[0]]):
        if where:  # the documents stay on the workers
            monkeypatch.setattr(distributed.DistributedCorpus, "map", _no_documents)
        path = tmp_path / f"report{len(pages)}.html"
        code, stdout, stderr = run("report", "-c", str(corpus), "-o", str(path), *options, *where)
        assert (code, stdout, stderr) == (0, f"{path.resolve()}\n", "")
        pages.append(re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", path.read_text(encoding="utf-8")))
    assert pages[0] == pages[1]
    if which == "larger":
        assert f"The heat map shows the {MATRIX_DOCS} of " in pages[0]


def _no_documents(*args, **kwargs):
    raise AssertionError("documents brought back to the client")


def test_phrases_bring_no_documents_back(cluster, generated_corpus, monkeypatch):
    """On the cluster no document reaches the client; with --jobs 2 each batch's token columns are made
    in the pool and joined in corpus order in the parent (40 batches of one file here), which never
    loads the documents."""
    from jiegui import distributed
    from jiegui.cli import shared

    local = run("phrases", "-c", str(generated_corpus), "--min-count", "2", "--json")
    assert local[0] == 0, local[2]
    monkeypatch.setattr(shared.CommonOptions, "documents", _no_documents)
    assert run("phrases", "-c", str(generated_corpus), "--min-count", "2", "--json", "--jobs", "2") == local
    monkeypatch.setattr(distributed.DistributedCorpus, "map", _no_documents)
    assert run("phrases", "-c", str(generated_corpus), "--min-count", "2", "--json", "--scheduler", cluster[0]) == local


def test_keyword_terms_of_a_batch_without_a_phrase_occurrence(tmp_path):
    """A batch's terms with the corpus's phrases, where the batch (one file here) has every word of a
    phrase but never the phrase: `keywords --scheduler` on this corpus fails in such a batch."""
    from jiegui.analyses import keywords
    from jiegui.analyses.columns import TokenColumns
    from jiegui.analyses.phrases import discover_phrases_in
    from jiegui.corpus import analyse_corpus, load_corpus

    documents = analyse_corpus(load_corpus(str(write_generated_corpus(tmp_path, files=64, seed=3, dated=True))))
    stopwords, pos = documents[0].stopwords, frozenset(keywords.DEFAULT_POS)
    pairs = [keywords.ranked_pair(d) for d in documents]
    phrases = discover_phrases_in(TokenColumns.of(ranked.tokens for ranked, _ in pairs), stopwords=stopwords)
    for pair in pairs:
        keywords.batch_terms([pair], keywords.batch_columns([pair]), phrases, stopwords, pos)


def test_one_document_on_the_cluster(cluster):
    for command in (["facts", "--doc", "jiaxing-qiaotoubao"], ["entities", "--doc", "jiaxing-qiaotoubao"]):
        local = run(*command, "--json")
        assert run(*command, "--json", "--scheduler", cluster[0]) == local
    code, stdout, stderr = run("facts", "--doc", "jiaxing", "--json", "--scheduler", cluster[0])
    assert (code, stdout) == (1, "")
    assert stderr.startswith("jiegui: error: no document with id 'jiaxing'; did you mean jiaxing-qiaotoubao")


ERRORS = [["similar", "--matrix"], ["similar", "part1/news1"], ["keywords", "--doc", "part1/news1"], ["segment", "--doc", "part1/news1"], ["show", "part1/news1"],
          ["similar", "--text", "的了"]]


@pytest.mark.parametrize("command", ERRORS, ids=[" ".join(c) for c in ERRORS])
def test_errors_on_the_cluster_are_the_local_ones(cluster, generated_corpus, command):
    local = run(*command, "-c", str(generated_corpus), "--json")
    assert local[0] == 1 and local[1] == "" and local[2].startswith("jiegui: error: ")
    assert run(*command, "-c", str(generated_corpus), "--json", "--scheduler", cluster[0]) == local


def test_bad_file_is_reported_like_locally(cluster, tmp_path):
    (tmp_path / "a.txt").write_text("平湖市新埭镇引进上海项目12个，总投资达到35亿元。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03binary\x00\xff" * 40)
    (tmp_path / "c.txt").write_text("海宁市出台了融杭接沪规划。", encoding="utf-8")
    for extra in ([], ["--skip-bad"]):
        local = run("facts", "-c", str(tmp_path), "--json", *extra)
        assert run("facts", "-c", str(tmp_path), "--json", "--scheduler", cluster[0], *extra) == local
        assert "b.txt" in local[2]
    assert local[0] == 0 and local[2].startswith("jiegui: warning: skipping")


def test_workers_write_the_cache_in_the_clients_directory(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "cache"))
    first = run("corpus", "--json", "--scheduler", cluster[0])
    assert first[0] == 0 and first[2] == ""
    assert len(list((tmp_path / "cache" / "documents").rglob("*"))) >= 5
    assert run("corpus", "--json", "--scheduler", cluster[0]) == first


def test_unusable_cache_is_skipped_with_a_message(cluster, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(blocker / "cache"))
    code, stdout, stderr = run("corpus", "--json", "--scheduler", cluster[0])
    assert code == 0 and stdout == run("corpus", "--json", "--no-cache")[1]
    assert stderr.startswith("jiegui: warning: cache directory") and "running without the cache" in stderr


def test_fsspec_url_reads_like_the_path(cluster, generated_corpus):
    import json

    local = json.loads(run("corpus", "-c", str(generated_corpus), "--json")[1])
    code, stdout, stderr = run("corpus", "-c", f"file://{generated_corpus}", "--json", "--scheduler", cluster[0])
    assert code == 0, stderr
    remote = json.loads(stdout)
    assert [dict(r, path=None) for r in remote] == [dict(r, path=None) for r in local]
    assert remote[0]["path"].startswith("file://")


# `similar`'s top pairs and `--duplicates` lose the same term lists to a killed worker: one case serves both
# (the suite's time budget)
KILLS = [(["facts"], "first"), (["keywords"], "last"), (["similar", "--duplicates", "--threshold", "0.3"], "last"),
         (["phrases", "--min-count", "2"], "last")]


@pytest.fixture
def fresh_cluster():
    """A cluster of its own for a test that kills a worker: the module's cluster waited up to 60 s, and at
    times longer, for its nanny to bring a killed worker back before the next test could start."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, Client(local) as client:
        client.wait_for_workers(2, timeout=60)
        yield local.scheduler_address, client


@pytest.mark.parametrize("command, when", KILLS, ids=[f"{' '.join(c)}-{w}" for c, w in KILLS])
def test_a_worker_killed_mid_run_changes_nothing(fresh_cluster, generated_corpus, monkeypatch, command, when):
    """A progress report kills a worker (SIGKILL): the first one (while loading), or the last one (every
    document analysed; for `similar`, before the index and the blocks are computed from the term lists
    the workers hold). Dask reruns its tasks and recomputes what it held from the files; the output is
    the local run's."""
    import jiegui.cli.shared as shared

    address, client = fresh_cluster
    local = run(*command, "-c", str(generated_corpus), "--json")
    assert local[0] == 0 and local[1]
    before = set(client.run(os.getpid).values())
    killed: list[int] = []

    class KillOnce:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def __call__(self, done, total):
            if not killed and (when == "first" or done == total):
                pid = sorted(before)[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    monkeypatch.setattr(shared, "_Progress", KillOnce)
    assert run(*command, "-c", str(generated_corpus), "--json", "--no-cache", "--scheduler", address) == local
    assert killed and killed[0] not in set(client.run(os.getpid).values())


def test_tree_reduce_merges_pairwise(cluster):
    """Document frequencies are summed by a binary tree of merges: n parts, ceil(log2 n) levels."""
    import math

    from jiegui.distributed import tree_reduce

    _, client = cluster
    for n in (1, 2, 3, 8, 13):
        parts = client.scatter([(x, 0) for x in range(1, n + 1)])
        total, depth = tree_reduce(client, parts, _add_depth).result()
        assert (total, depth) == (n * (n + 1) // 2, math.ceil(math.log2(n)))


def _add_depth(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], max(a[1], b[1]) + 1


def test_keyword_parts_joined_in_order_are_the_whole_corpus(generated_corpus):
    """The batches' token columns and terms, joined pairwise in corpus order as the cluster's tree
    reduction joins them, are the arrays one pass over the whole corpus makes: same words, same ids,
    same rows (so the counts, document frequencies and rankings are the local ones)."""
    from jiegui import distributed
    from jiegui.analyses import keywords
    from jiegui.analyses.columns import TokenColumns
    from jiegui.analyses.phrases import discover_phrases_in
    from jiegui.corpus import analyse_corpus, load_corpus

    documents = analyse_corpus(load_corpus(str(generated_corpus)))
    stopwords, pos = documents[0].stopwords, frozenset(keywords.DEFAULT_POS)
    pairs = [keywords.ranked_pair(d) for d in documents]
    whole = TokenColumns.of(ranked.tokens for ranked, _ in pairs)
    phrases = discover_phrases_in(whole, stopwords=stopwords)
    assert len(phrases) >= 5
    expected = keywords._document_terms([ranked for ranked, _ in pairs], whole, phrases, stopwords, pos)
    cuts = [0, 1, 2, 7, 7, 20, len(pairs)]  # one empty part
    parts = [pairs[a:b] for a, b in itertools.pairwise(cuts)]
    columns = [keywords.batch_columns(part) for part in parts]
    terms = [keywords.batch_terms(part, c, phrases, stopwords, pos) for part, c in zip(parts, columns)]
    joined = functools.reduce(distributed.joined_columns, columns)
    assert (joined.words, joined.tags) == (whole.words, whole.tags)
    for name in ("word", "tag", "start", "end", "bounds"):
        assert getattr(joined, name).tolist() == getattr(whole, name).tolist(), name
    # pairwise, as a tree joins them: ((0 1) (2 3)) (4 5)
    level = terms
    while len(level) > 1:
        level = [keywords.joined_terms(level[k], level[k + 1]) for k in range(0, len(level) - 1, 2)] + level[len(level) - len(level) % 2:]
    count, counted = level[0]
    assert count == len(pairs)
    words = counted.words
    assert [words[t] for t in counted.term.tolist()] == [expected.words[t] for t in expected.term.tolist()]
    for name in ("doc", "sentence", "measured"):
        assert getattr(counted, name).tolist() == getattr(expected, name).tolist(), name
    # the corpus ranking's scores, counts and tables from the joined parts are those of one pass
    for method in keywords.Method:
        scores, counts, tables = keywords.corpus_scores(joined, phrases, counted, method)
        assert (scores, counts) == keywords.corpus_scores(whole, phrases, expected, method)[:2]
        assert tables == keywords.corpus_scores(whole, phrases, expected, method)[2]


def _excerpt_ranking(parts, scores, counts, tables, sources, top_n, step, limit):
    """`distributed.excerpt_ranking` without a cluster: rounds of `step` candidates (then twice as many),
    each round's excerpts cut in every part and joined pairwise as a tree joins them."""
    from jiegui import distributed
    from jiegui.analyses import keywords

    candidates = keywords.ranked_candidates(scores, counts, tables.tags)
    held, known = [], 0
    while True:
        new = list(itertools.islice(candidates, step))
        answers = [keywords.batch_excerpts(part, new, limit, number) for number, part in enumerate(parts)]
        held.append(distributed.pairwise(answers, functools.partial(keywords.truncated_excerpts, limit=limit)))
        known += len(new)
        decided = keywords.excerpt_rows(scores, counts, top_n, known if len(new) == step else None, limit, sources, tables, held)
        if decided is not None:
            break
        step *= 2
    forms = [tuple(row.forms) for row in decided]
    extended = sorted({f for row in decided for f in row.extended})
    df, written, totals = functools.reduce(keywords.joined_row_answers, [keywords.batch_row_answers(part, forms, extended) for part in parts])
    df_of = dict(zip(forms, df))
    rows = keywords.keyword_rows(keywords.with_totals(decided, totals), None, lambda f: df_of[tuple(f)], lambda t: written.get(t, t))
    return rows, held, len(held)


@pytest.mark.parametrize("limit", [None, 40, 3])
def test_corpus_ranking_from_the_batches_excerpts_is_the_local_one(generated_corpus, monkeypatch, limit):
    """The corpus ranking on a cluster reads no document and no token column: each term's score and the
    corpus's tables are made where the joined columns and terms are, and the checks read excerpts the
    batches cut for rounds of candidates (the lines that hold them, long lines cut around the
    occurrences; with a limit, the lines of each candidate's first `limit` occurrences only, cut per
    batch and again as they are joined). Ranked from them, in one round or in several, the rows are the
    local ones, which read the same occurrences of the whole texts."""
    from jiegui.analyses import keywords
    from jiegui.corpus import analyse_corpus, load_corpus

    monkeypatch.setattr(keywords, "CHECKED_OCCURRENCES", limit)
    documents = analyse_corpus(load_corpus(str(generated_corpus)))
    stopwords, pos = documents[0].stopwords, frozenset(keywords.DEFAULT_POS)
    pairs = [keywords.ranked_pair(d) for d in documents]
    whole = keywords.batch_columns(pairs)
    phrases = keywords.discover_phrases_in(whole, stopwords=stopwords)
    _, counted = keywords.batch_terms(pairs, whole, phrases, stopwords, pos)
    parts = [pairs[a:b] for a, b in itertools.pairwise([0, 3, 3, 11, 12, len(pairs)])]
    sources = set().union(*map(keywords.batch_sources, parts))
    for method, top_n in ((keywords.Method.tfidf, 20), (keywords.Method.textrank, 12)):
        scores, counts, tables = keywords.corpus_scores(whole, phrases, counted, method)
        expected = keywords.corpus_keywords(documents, method=method, top_n=top_n)
        rows, held, rounds = _excerpt_ranking(parts, scores, counts, tables, sources, top_n, 3, limit)
        assert rows == expected and rounds > 1, method
        assert _excerpt_ranking(parts, scores, counts, tables, sources, top_n, 1000, limit)[0] == expected
        # the rounds joined over the parts are those of the corpus in one part (the keys aside: (part, place))
        one_part = _excerpt_ranking([pairs], scores, counts, tables, sources, top_n, 3, limit)[1]
        assert [[excerpt for _, excerpt in excerpts] for excerpts in held] == [[excerpt for _, excerpt in excerpts] for excerpts in one_part]
    texts = keywords.excerpt_texts([excerpt for _, excerpt in held[0]], sources, tables)
    # a round's excerpts hold less than the texts: lines without a candidate left empty, long lines cut
    assert sum(map(len, texts.texts)) < sum(len(ranked.text) for ranked, _ in pairs)
    assert any(keywords._GAP in text for text in texts.texts)
    if limit is not None:  # no round holds more than `limit` occurrences of a candidate beyond the line of its last
        for excerpts in held:
            seen: Counter[str] = Counter()
            for _, excerpt in excerpts:
                for j in sorted(excerpt.kept):
                    assert not excerpt.holds.get(j) or excerpt.whole or any(seen[t] < limit for t in excerpt.holds[j])
                    seen.update(excerpt.holds.get(j, {}))


def test_a_limit_on_the_occurrences_read_bounds_the_excerpts(generated_corpus):
    """With a limit, a round's excerpts hold the lines of each candidate's first occurrences only: a
    smaller limit, fewer lines (`CHECKED_OCCURRENCES` bounds what a cluster's ranking task receives,
    whatever the corpus's size); and the checks read as far as `reading_end` says."""
    from jiegui.analyses import keywords
    from jiegui.corpus import analyse_corpus, load_corpus

    pairs = [keywords.ranked_pair(d) for d in analyse_corpus(load_corpus(str(generated_corpus)))]
    texts = [ranked.text for ranked, _ in pairs]
    counts = Counter(t.text for ranked, _ in pairs for t in ranked.tokens if len(t.text) > 1)
    candidates = [term for term, _ in counts.most_common(10)]
    sizes = {limit: sum(len(e.kept) for _, e in keywords.batch_excerpts(pairs, candidates, limit)) for limit in (None, 50, 3)}
    assert sizes[None] > sizes[50] > sizes[3] > 0
    frequent = candidates[0]
    assert keywords.occurrence_count(frequent, texts) > 3
    i, end = keywords.reading_end(frequent, texts, 3)
    assert sum(text.count(frequent) for text in texts[:i]) + texts[i][:end].count(frequent) >= 3
    assert sum(text.count(frequent) for text in texts[:i]) + texts[i][:texts[i].rfind("\n", 0, end) + 1].count(frequent) < 3
    assert keywords.reading_end(frequent, texts, 10 ** 9) is None and keywords.reading_end(frequent, texts, None) is None


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_every_check_reads_the_same_in_the_excerpts(generated_corpus, which):
    """Each check of `analyses/terms.py`, the extensions and the counts give for every candidate of a
    round the same answer on the batches' excerpts, joined, as on the whole texts."""
    from jiegui.analyses import keywords, terms
    from jiegui.corpus import analyse_corpus, load_corpus

    documents = analyse_corpus(load_corpus(None if which == "bundled" else str(generated_corpus)))
    pairs = [keywords.ranked_pair(d) for d in documents]
    whole = keywords.batch_columns(pairs)
    phrases = keywords.discover_phrases_in(whole, stopwords=documents[0].stopwords)
    tables = keywords.corpus_tables(whole, phrases, initials=True)
    ranked = [r for r, _ in pairs]
    full = keywords.RankedTexts.of(ranked, terms.TokenIndex([d.tokens for d in ranked]), ranked, [o for _, o in pairs])
    counts = Counter(t.text for d in ranked for t in d.tokens if keywords.is_keyword_term(t, documents[0].stopwords, None))
    candidates = [term for term, _ in counts.most_common(60)]
    parts = [pairs[a:b] for a, b in itertools.pairwise([0, 2, 2, 9, len(pairs)])]
    held = [keywords.batch_excerpts(part, candidates, None, number) for number, part in enumerate(parts)]
    cut = keywords.excerpt_texts([excerpt for part in held for _, excerpt in part], full.sources, tables)
    known = keywords._known_word
    checks = [terms.opens_with_count, terms.is_counter, lambda o: terms.cuts_word(o, tables.vocabulary),
              lambda o: terms.is_bound_modifier(o, known), terms.is_predicate, terms.is_listed_word,
              lambda o: terms.in_recurring_string(o, known), terms.cuts_name, lambda o: terms.in_unknown_run(o, known),
              terms.in_quoted_name, terms.before_counted_places, terms.in_coordinated_name, terms.goes_to_place,
              terms.is_heading, terms.is_headline_clause, lambda o: terms.names_source(o, full.sources),
              lambda o: terms.is_clause(o, tables.word_counts, tables.tags)]
    answers: dict[str, list[object]] = {}
    for name, texts in (("whole", full), ("excerpts", cut)):
        answer = answers[name] = []
        for term in candidates:
            occurrences = terms.find_occurrences(term, texts.texts, texts.index, texts.furniture)
            answer.append([len(occurrences.places), keywords.occurrence_count(term, texts.texts),
                           keywords.extend_fragment(term, texts.texts, 2, tokens=texts.tokens, usage=texts.usage),
                           keywords.extend_fragment(term, texts.texts, 2, tokens=texts.tokens, nouns_only=True, usage=texts.usage),
                           terms.modifies_next_verb(occurrences, texts.verbs_after, known), [check(occurrences) for check in checks],
                           [[t and t[:2] for t in occurrences.before], [t and t[:2] for t in occurrences.after]]])
    assert answers["excerpts"] == answers["whole"]
    assert sum(map(len, cut.texts)) < sum(map(len, full.texts))


def test_documents_ranked_where_their_batch_is(generated_corpus):
    """`--by-doc` on a cluster: each batch ranks its own documents with the corpus's IDF and tables; the
    verbs a ranking asks of (a round of its own: one on the bundled corpus, two on the generated one) and the rows' df and forms
    are answered by every batch and merged pairwise. The rows are the local ones."""
    from jiegui.analyses import keywords
    from jiegui.corpus import analyse_corpus, load_corpus

    for path, rounds_seen in ((None, 2), (str(generated_corpus), 3)):
        documents = analyse_corpus(load_corpus(path))
        stopwords, pos = documents[0].stopwords, frozenset(keywords.DEFAULT_POS)
        pairs = [keywords.ranked_pair(d) for d in documents]
        whole = keywords.batch_columns(pairs)
        phrases = keywords.discover_phrases_in(whole, stopwords=stopwords)
        parts = [pairs[a:b] for a, b in itertools.pairwise([0, 2, 2, 9, len(pairs)])]
        columns = [keywords.batch_columns(part) for part in parts]
        counted = [keywords.batch_terms(part, c, phrases, stopwords, pos) for part, c in zip(parts, columns)]
        joined = functools.reduce(keywords.joined_terms, counted)
        idf, tables = keywords.corpus_idf(joined[1], joined[0], phrases), keywords.corpus_tables(whole, phrases)
        verbs: dict = {}
        found: list[dict] = [{} for _ in parts]
        waiting: list = [None] * len(parts)
        rounds = 0
        while True:
            rounds += 1
            asked: set[str] = set()
            for number, (part, c, t) in enumerate(zip(parts, columns, counted)):
                if waiting[number] is None or waiting[number]:
                    answer = keywords.batch_document_rows(part, c, t, phrases, idf, tables, verbs, method=keywords.Method.tfidf,
                                                          top_n=5, wanted=None, only=waiting[number])
                    found[number].update(answer.rows)
                    waiting[number], asked = answer.waiting, asked | answer.asked
            if not asked:
                break
            verbs.update(functools.reduce(keywords.summed_verbs, [keywords.batch_verbs(part, sorted(asked)) for part in parts]))
        assert rounds == rounds_seen
        ranked = [(doc_id, rows) for part in found for _, (doc_id, rows) in sorted(part.items())]
        forms = list(dict.fromkeys(tuple(row.forms) for _, rows in ranked for row in rows))
        df, written, _ = functools.reduce(keywords.joined_row_answers, [keywords.batch_row_answers(part, forms) for part in parts])
        df_of = dict(zip(forms, df))
        rows = [keyword for doc_id, decided in ranked
                for keyword in keywords.keyword_rows(decided, doc_id, lambda f: df_of[tuple(f)], lambda t: written.get(t, t))]
        assert rows == keywords.document_keywords(documents, top_n=5)


def test_keywords_and_report_rank_through_the_split_rankings(cluster, generated_corpus, monkeypatch, tmp_path):
    """On the cluster `keywords` and `report` rank through the same two rankings, neither of which gathers
    the batches' documents in one task: the corpus ranking reads excerpts (`excerpt_ranking`), each
    document is ranked where it is (`document_ranking`). (`report`'s page = the local one: above.)"""
    from jiegui import distributed

    calls = []

    def recorded(function):
        def call(*args, **kwargs):
            calls.append(function.__name__)
            return function(*args, **kwargs)
        return call

    from jiegui.analyses import keywords

    def not_here(*args, **kwargs):
        raise AssertionError("the excerpts were read in the client")

    cases = [["keywords", "--method", "textrank", "--top", "8"], ["keywords", "--by-doc", "--top", "3"]]
    local = [run(*case, "-c", str(generated_corpus), "--json") for case in cases]
    for name in ("excerpt_ranking", "document_ranking"):
        monkeypatch.setattr(distributed, name, recorded(getattr(distributed, name)))
    monkeypatch.setattr(keywords, "excerpt_texts", not_here)  # in this process only: the workers rank them
    for case, expected in zip(cases, local):
        assert expected[0] == 0, expected[2]
        assert run(*case, "-c", str(generated_corpus), "--json", "--scheduler", cluster[0]) == expected, case
    assert calls == ["excerpt_ranking", "document_ranking"]
    calls.clear()
    code, _, stderr = run("report", "-c", str(generated_corpus), "-o", str(tmp_path / "report.html"), "--scheduler", cluster[0])
    assert code == 0, stderr
    assert sorted(calls) == ["document_ranking", "excerpt_ranking"]


def test_cluster_reads_each_candidate_as_far_as_a_local_run(cluster, generated_corpus, monkeypatch):
    """With a limit that most candidates reach (3 occurrences instead of `CHECKED_OCCURRENCES`), the
    corpus ranking on the cluster, from excerpts cut to each candidate's first occurrences, prints what
    a local run prints, and that is not what the whole texts give."""
    from jiegui.analyses import keywords

    cases = [["keywords", "--top", "30"]]
    unlimited = [run(*case, "-c", str(generated_corpus), "--json") for case in cases]
    monkeypatch.setattr(keywords, "CHECKED_OCCURRENCES", 3)  # the client passes it to the workers' tasks
    limited = [run(*case, "-c", str(generated_corpus), "--json") for case in cases]
    for case, local in zip(cases, limited):
        assert local[0] == 0, local[2]
        assert run(*case, "-c", str(generated_corpus), "--json", "--scheduler", cluster[0]) == local, case
    assert limited[0] != unlimited[0]


def test_similarity_blocks_on_the_workers_match_the_local_search(cluster, generated_corpus):
    """The index built on the workers is the local one bit for bit, and many small blocks, each a task,
    give the local pairs and groups (the CLI's corpora fit one block)."""
    from functools import partial

    from jiegui import distributed
    from jiegui.analyses import similarity
    from jiegui.corpus import load_corpus

    _, client = cluster
    local = similarity.build_index(load_corpus(str(generated_corpus)))
    # the fixture's client is shared: DaskWorkers.close would disconnect it, so the test does not close
    corpus = distributed.DistributedCorpus(distributed.DaskWorkers(client), str(generated_corpus))
    terms = corpus.submit(partial(similarity.document_terms, stopwords=local.stopwords))
    corpus.wait(terms)
    ids = [summary.id for summary, _ in corpus.summaries]
    index = distributed.similarity_index(client, terms, len(ids), ngrams=1, stopwords=local.stopwords, max_terms=similarity.MAX_TERMS)
    remote = index.result()
    assert remote.ids == local.ids and list(remote.terms) == list(local.terms)
    for part in ("data", "indices", "indptr"):
        assert getattr(remote.matrix, part).tobytes() == getattr(local.matrix, part).tobytes()
    cells = 7 * len(ids)  # blocks of 7 rows
    assert len(similarity.block_starts(len(ids), cells)) >= 8
    for top in (1, 5, 40):
        expected = similarity.most_similar_pairs(local, top=top, block_cells=cells)
        assert distributed.most_similar_pairs(client, index, len(ids), top=top, min_score=0.0, block_cells=cells) == expected
    for threshold in (0.2, 0.3):
        expected_groups = similarity.duplicate_groups(local, threshold=threshold, block_cells=cells)
        assert expected_groups
        assert distributed.duplicate_groups(client, index, ids, threshold=threshold, block_cells=cells) == expected_groups


def test_lsh_search_in_parts_on_the_workers(cluster, monkeypatch):
    """The MinHash LSH search (from LSH_MIN_DOCS documents) split by bands between tasks and by rows into
    parts, each part's pieces merged by one task and scored where it is, finds the pairs, top pairs and
    duplicate groups one pass over all bands finds: copies of made-up documents with 2 to 17 of their 30
    terms replaced, so that whether a pair is a candidate depends on the very permutations; parts of 20
    rows, so that pairs cross many parts' bounds."""
    from jiegui import distributed
    from jiegui.analyses import similarity

    rng = random.Random(5)
    vocabulary = [f"词{k}" for k in range(300)]
    documents = []
    for copy in range(40):
        terms = rng.sample(vocabulary, 30)
        replaced = 2 + copy % 16
        documents += [terms, terms[:-replaced] + rng.sample(vocabulary, replaced), rng.sample(vocabulary, 30)]
    local = similarity.index_terms([f"d{k}" for k in range(len(documents))], documents)
    n = len(documents)
    _, client = cluster
    [index] = client.scatter([local])
    parts = client.gather(distributed.lsh_parts(client, index, n, 20))
    assert len(parts) == -(-n // 20)
    for k, (keys, _) in enumerate(parts):
        assert ((keys // n >= 20 * k) & (keys // n < 20 * k + 20)).all()
    found = [similarity.lsh_candidates(n, [part]) for part in parts]
    expected = similarity.lsh_candidates(n, [similarity.lsh_band_pairs(local.matrix, range(similarity.LSH_BANDS))])
    assert expected[0].size >= 20
    assert all(np.concatenate(a).tobytes() == b.tobytes() for a, b in zip(zip(*found), expected, strict=True))
    monkeypatch.setattr(similarity, "LSH_MIN_DOCS", n)  # on the client and in this process's local search
    # top 1: found among the LSH pairs; top 40: fewer LSH pairs, completed by the top-n search
    for top in (1, 40):
        pairs = similarity.most_similar_pairs(local, top=top)
        assert len(pairs) == top
        assert distributed.most_similar_pairs(client, index, n, top=top, min_score=0.0, part_rows=40) == pairs
    groups = similarity.duplicate_groups(local, threshold=0.9, max_links=1)
    assert groups
    assert distributed.duplicate_groups(client, index, local.ids, threshold=0.9, max_links=1, part_rows=40) == groups


def test_stdin_is_refused(cluster):
    result = runner.invoke(app, ["corpus", "-c", "-", "--scheduler", cluster[0]], input="平湖市")
    assert result.exit_code == 1
    assert result.stderr.startswith("jiegui: error: standard input cannot be read by a cluster's workers")


def test_empty_scheduler_is_a_usage_error():
    code, stdout, stderr = run("corpus", "--scheduler", " ")
    assert code == 2 and "scheduler address is empty" in stderr
