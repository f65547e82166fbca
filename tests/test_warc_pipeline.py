"""The WARC archive in the pipeline: a real night's files pass `warcio check`, the index finds every page's bytes,
conditional refetches become revisit records, and the pre-WARC archive is migrated once."""
from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

from critics.schemas.config import Config, FetchSettings
from critics.tasks.acquire.archive import content_hash, open_archive, read_payload, warc_files
from critics.tasks.acquire.discovery import Target
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.runtime.batch import Batch, fetch_batch
from critics.tasks.warehouse import incremental, load

WARCIO = str(Path(sys.executable).with_name("warcio"))


def warcio_check(paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([WARCIO, "check", *map(str, paths)], capture_output=True, text=True)


def test_a_nights_archive_passes_warcio_check_and_its_index_finds_every_page(demo_run):
    root = load.archive_root(demo_run.db)
    files = warc_files(root)
    assert files and warcio_check(files).returncode == 0
    seen: dict[str, int] = {}
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                seen[record.rec_type] = seen.get(record.rec_type, 0) + 1
    with duckdb.connect(str(load.work_path(demo_run.db)), read_only=True) as con:
        pages = con.execute("SELECT count(*) FROM raw.pages WHERE sha256 IS NOT NULL").fetchone()[0]
        indexed = con.execute("SELECT record_type, count(*) FROM raw.warc_records GROUP BY ALL").fetchall()
        located = incremental.archived_pages(con)
    assert seen["request"] == seen["response"] + seen.get("revisit", 0) >= pages > 100
    assert dict(indexed) == {k: v for k, v in seen.items() if k in ("response", "revisit")}
    for row in located:
        assert content_hash(read_payload(root, row["file_name"], row["record_offset"])) == row["sha256"]


class Site(BaseHTTPRequestHandler):
    """Two review pages with ETags; /moved redirects to /a."""

    protocol_version = "HTTP/1.1"
    pages = {"/a": b"<html><title>A</title><p>Review A.</p></html>", "/b": b"<html><title>B</title><p>B.</p></html>"}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path == "/moved":
            return self._send(301, b"", {"Location": "/a"})
        body = self.pages.get(self.path)
        if body is None:
            return self._send(404, b"none", {})
        etag = f'"{content_hash(body)[:8]}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, None, {"ETag": etag})
        return self._send(200, gzip.compress(body), {"ETag": etag, "Content-Type": "text/html",
                                                      "Content-Encoding": "gzip"})

    def _send(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


@pytest.fixture
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def night(db: Path, fetcher: Fetcher, urls: list[str]) -> Batch:
    """Fetch and record one batch as the nightly flow's fetch and load steps do (without Prefect)."""
    batch = Batch([Target(url, "Site") for url in urls])
    with load.open_work(db) as con:
        batch.known = load.known_pages(con, urls)
    batch = fetch_batch(batch, fetcher, load.archive_root(db))
    with load.open_work(db) as con:
        load.record_archive(con, open_archive(load.archive_root(db)))  # as flows/steps.index_archive does
        load.record_fetches(con, "run", batch.source_of, batch.results, batch.hashes)
    return batch


def test_refetches_are_revisits_and_reprocess_reads_the_bytes_back(site, tmp_path):
    db = tmp_path / "critics.duckdb"
    fetcher = Fetcher(FetchSettings(retries=0), {site: 0})
    urls = [f"http://{site}/a", f"http://{site}/b", f"http://{site}/moved"]
    first = night(db, fetcher, urls)
    assert [r.outcome for r in first.results] == ["ok", "ok", "ok"]
    second = night(db, fetcher, urls)  # ETags match: 304s (the redirect's target too)
    assert [r.status for r in second.results] == [304, 304, 304]
    with load.open_work(db) as con:
        kinds = con.execute("""SELECT url, list(record_type ORDER BY captured_at) FROM raw.warc_records
                               GROUP BY url ORDER BY url""").fetchall()
        rows = incremental.archived_pages(con)
    assert dict(kinds)[f"http://{site}/a"] == ["response", "response", "revisit", "revisit"]  # via /moved too
    assert dict(kinds)[f"http://{site}/moved"] == ["response", "response"]  # the 301 itself, each night
    config = Config.model_construct(sources=[])  # unvalidated: checking the schedule would import Prefect
    batch = incremental.archive_batch(rows, load.archive_root(db), config)
    assert {t.url: r.body for t, r in batch.fetched} == {
        urls[0]: Site.pages["/a"], urls[1]: Site.pages["/b"], urls[2]: Site.pages["/a"]}
    files = warc_files(load.archive_root(db))
    assert warcio_check(files).returncode == 0
    fetcher.close()


def test_a_missing_warc_file_is_a_rejected_page_with_the_reason(site, tmp_path):
    db = tmp_path / "critics.duckdb"
    fetcher = Fetcher(FetchSettings(retries=0), {site: 0})
    night(db, fetcher, [f"http://{site}/a"])
    with load.open_work(db) as con:
        rows = incremental.archived_pages(con)
    rows[0]["file_name"] = "gone.warc.gz"
    config = Config.model_construct(sources=[])
    batch = incremental.archive_batch(rows, load.archive_root(db), config)
    assert batch.fetched == []
    assert batch.outcomes[0][2:] == ("rejected", f"archived bytes {rows[0]['sha256'][:12]} missing")
    fetcher.close()


def legacy_store(root: Path, body: bytes) -> str:
    """A body in the pre-WARC layout: raw/<sha[:2]>/<sha>.gz."""
    sha = content_hash(body)
    (root / sha[:2]).mkdir(parents=True, exist_ok=True)
    (root / sha[:2] / f"{sha}.gz").write_bytes(gzip.compress(body))
    return sha


def test_the_old_archive_is_migrated_once_with_a_count(tmp_path):
    db = tmp_path / "critics.duckdb"
    legacy = load.legacy_archive_root(db)
    bodies = {"http://x.test/1": b"<html>one</html>", "http://x.test/2": b"<html>two</html>"}
    shas = {url: legacy_store(legacy, body) for url, body in bodies.items()}
    legacy_store(legacy, b"<html>no url knows me</html>")
    (legacy / "ab").mkdir(exist_ok=True)
    (legacy / "ab" / f"ab{'0' * 62}.gz").write_bytes(b"not gzip")
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with load.open_work(db) as con:
        for i, (url, sha) in enumerate(shas.items()):
            con.execute("INSERT INTO raw.pages (url, source, sha256, content_type, first_seen_at, last_fetched_at) "
                        "VALUES (?, 'X', ?, 'text/html', ?, ?)", [url, sha, at, at])
            con.execute("INSERT INTO raw.page_versions VALUES (?, ?, ?)", [url, sha, at + timedelta(hours=i)])
        message = incremental.migrate_legacy_archive(con, legacy, load.archive_root(db))
        again = incremental.migrate_legacy_archive(con, legacy, load.archive_root(db))
        rows = incremental.archived_pages(con)
    assert message.startswith(f"archive: migrated 4 archived bodies from {legacy} into 2 WARC resource records")
    assert "(1 with no known URL, 1 unreadable)" in message and again is None
    assert not legacy.exists() and (tmp_path / "raw.migrated").is_dir()
    assert {r["url"]: read_payload(load.archive_root(db), r["file_name"], r["record_offset"]) for r in rows} == bodies
    assert warcio_check(warc_files(load.archive_root(db))).returncode == 0
