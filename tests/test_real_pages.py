"""Real outlets' saved pages (tests/fixtures/pages/real): the evaluation meets issue 16's floors, each page keeps
and drops the text its manifest says, and a crawl of the corpus on loopback loads the reviews and rejects the rest."""
from __future__ import annotations

import contextlib
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_real_pages as ev  # noqa: E402

pytestmark = pytest.mark.skipif(not ev.MANIFEST.is_file(), reason="the real-page corpus is not present")
ENTRIES = ev.load_manifest() if ev.MANIFEST.is_file() else []
PROBE = "/excluded-probe/never-fetch.html"
# Issue 16's targets this code does not reach on the corpus yet, and why (docs/method.md, the issue's note).
# Strict: the day one is met, its test fails until the mark is removed.
MISSED = {
    "rating_found": "'★★' with no printed scale on a page naming itself only 'The Star': the truth assumes the Kansas "
                    "City Star's 4-star scale, which data/models/outlet_scales.json knows, but the outlet reads as "
                    "its domain (a source's rating_scale = 4 fixes it)",
    "verdict": "verdicts of unrated reviews come from the text models (tasks/extract/textmodel.py, and "
               "tasks/extract/chinese.py for the 12 Chinese pages): 7 of 50 wrong, 1 of them Chinese",
}
# The levels reached (rounded down): a change that loses ground fails here even where the target is missed.
HELD = {"review_loaded": 1.00, "film_title": 0.98, "critic": 0.97, "outlet": 0.96, "rating_found": 0.94,
        "verdict": 0.86, "people_found": 0.92,
        # no issue target: the year is printed on few of the pages (htmldate's find_date: 45/50 dates)
        "film_year": 0.34, "published_date": 0.98}
TEXT_CHECKS_HELD = 0.96


@pytest.fixture(scope="module")
def runs():
    """Every corpus page through parse -> clean -> extract, as the flow runs them."""
    return ev.run_all(ENTRIES, ev.MANIFEST.parent, baseline=False)


@pytest.fixture(scope="module")
def result(runs):
    return ev.evaluate(runs)


def test_the_corpus_has_enough_reviews_and_other_pages():
    reviews = [e for e in ENTRIES if e["is_film_review"]]
    assert len(reviews) >= 50 and len(ENTRIES) - len(reviews) >= 25


@pytest.mark.parametrize("field", [
    pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=MISSED[f])) if f in MISSED else f for f in ev.TARGETS])
def test_each_field_meets_its_floor(result, field):
    tally = result["ours"][field]
    assert ev.meets(field, tally), f"{field}: {tally.correct}/{tally.total}; misses: {tally.misses}"


@pytest.mark.parametrize("field", list(HELD))
def test_each_field_holds_the_level_reached(result, field):
    tally = result["ours"][field]
    assert tally.share >= HELD[field], f"{field}: {tally.correct}/{tally.total}; misses: {tally.misses}"


def test_pages_keep_and_drop_the_text_their_manifest_names(runs):
    tally = ev.text_checks(runs)
    assert tally.share >= TEXT_CHECKS_HELD, tally.misses


def test_every_rejected_page_says_why(runs):
    for run in runs:
        if run.review is None:
            assert run.page.reject_reason, run.entry["file"]


# --- end to end: the corpus served on loopback with a sitemap, crawled by the nightly flow ---

def _served_path(entry: dict, index: int, taken: set[str]) -> str:
    """A loopback path from the page's own URL: its host, path and query, kept unique."""
    parts = urlsplit(ev.page_url(entry, index))
    path = f"/{parts.hostname or 'site'}{parts.path or '/'}"
    if parts.query:
        path += "_" + re.sub(r"[^\w.-]", "_", parts.query)
    while path in taken:
        path += "_"
    taken.add(path)
    return path


@contextlib.contextmanager
def _serve(pages: dict[str, bytes]):
    """A tiny loopback site: the pages at their paths (read at request time), and a log of every path requested."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requested.append(self.path)
            # a real server decodes the request path: the crawler sends '/大鱼海棠影评.html' percent-encoded
            body = pages.get(self.path, pages.get(unquote(self.path)))
            kind = "application/xml" if self.path.endswith(".xml") else "text/html"
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One nightly run over the corpus on loopback; the probe URL matches the source's exclude pattern."""
    from critics.flows.nightly import nightly

    work = tmp_path_factory.mktemp("real-pages")
    taken: set[str] = set()
    paths = {_served_path(e, i, taken): e for i, e in enumerate(ENTRIES)}
    pages = {p: (ev.MANIFEST.parent / e["file"]).read_bytes() for p, e in paths.items()}
    with _serve(pages) as (base, requested):
        locs = [base + p for p in [*paths, PROBE]]
        sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   + "".join(f"<url><loc>{u.replace('&', '&amp;')}</loc></url>" for u in locs) + "</urlset>").encode()
        pages["/sitemap.xml"] = sitemap  # known once the server's port is
        (work / "real.toml").write_text(
            f'[[sources]]\nname = "Real pages"\nstart_urls = ["{base}/sitemap.xml"]\nrequests_per_second = 0\n'
            f'max_pages = 1000\nexclude = ["*/excluded-probe/*"]\n\n[runner]\nworkers = 1\n', encoding="utf-8")
        summary = nightly(config_path=str(work / "real.toml"), db=str(work / "critics.duckdb"))
    with duckdb.connect(str(work / "critics.work.duckdb"), read_only=True) as con:
        run_id = con.execute("SELECT max(run_id) FROM raw.runs").fetchone()[0]
        outcomes = {u: (o, r) for u, o, r in con.execute(
            "SELECT url, outcome, reason FROM raw.url_outcomes WHERE run_id = ?", [run_id]).fetchall()}
    return dict(base=base, paths=paths, outcomes=outcomes, requested=list(requested), summary=summary)


def test_the_crawl_loads_the_review_pages(crawl):
    """Every page ends with an outcome; review pages load as often as the evaluation says (the flow adds no loss)."""
    got = {e["file"]: crawl["outcomes"].get(crawl["base"] + p) for p, e in crawl["paths"].items()}
    assert all(got.values()), [f for f, o in got.items() if not o]
    reviews = [e["file"] for e in crawl["paths"].values() if e["is_film_review"]]
    missed = [(f, got[f]) for f in reviews if got[f][0] != "loaded"]
    assert 1 - len(missed) / len(reviews) >= HELD["review_loaded"], missed


def test_the_crawl_rejects_other_pages_with_reasons(crawl):
    others = [(p, e) for p, e in crawl["paths"].items() if not e["is_film_review"]]
    got = [crawl["outcomes"].get(crawl["base"] + p, ("missing", None)) for p, _ in others]
    assert all(reason for outcome, reason in got if outcome == "rejected")
    assert sum(outcome == "rejected" for outcome, _ in got) >= ev.TARGETS["non_review_rejected"] * len(others)


def test_an_excluded_url_is_out_of_scope_naming_its_pattern_and_never_fetched(crawl):
    outcome, reason = crawl["outcomes"][crawl["base"] + PROBE]
    assert outcome == "out_of_scope" and "*/excluded-probe/*" in reason
    assert PROBE not in crawl["requested"]
