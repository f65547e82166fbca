"""The WARC archive: records standard tools read (warcio check, ArchiveIterator), revisits, rotation, threads and
crashes."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from critics.tasks.acquire.archive import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, ArchiveWriteError, WarcArchive,
                                           content_hash, read_payload, warc_digest, warc_files)
from critics.tasks.acquire.fetch import Exchange

WARCIO = str(Path(sys.executable).with_name("warcio"))


def exchange(url: str = "http://127.0.0.1:8000/review", body: bytes = b"<html>review</html>", status: int = 200,
             headers: list | None = None) -> Exchange:
    """An exchange as the fetcher hands it over after reading the body."""
    sent = [("Host", "127.0.0.1:8000"), ("User-Agent", "critics-test"), ("Accept-Encoding", "gzip, deflate")]
    got = headers if headers is not None else [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Encoding", "gzip"), ("Content-Length", "42")]
    return Exchange(url, sent, status, "OK" if status == 200 else "Not Modified", "HTTP/1.1", got, "127.0.0.1",
                    datetime(2026, 12, 2, 3, 0, 0, 123456, tzinfo=timezone.utc), body,
                    hashlib.sha256(body).hexdigest() if body else None)


def warcio_check(*paths: Path) -> subprocess.CompletedProcess:
    """warcio's own command-line check (record structure and every digest) of these files."""
    return subprocess.run([WARCIO, "check", "-v", *map(str, paths)], capture_output=True, text=True)


def records(path: Path) -> list:
    """(type, target URI, WARC headers, HTTP headers, payload) of every record, read by warcio."""
    with open(path, "rb") as handle:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers, r.http_headers,
                 r.raw_stream.read()) for r in ArchiveIterator(handle)]


def test_an_exchange_is_a_response_and_a_request_record_that_warcio_checks(tmp_path):
    archive = WarcArchive(tmp_path)
    body = "<html>Bücher – é</html>".encode()
    [entry] = archive.write(exchange(body=body))
    archive.close()
    [path] = warc_files(tmp_path)
    checked = warcio_check(path)
    assert checked.returncode == 0 and checked.stdout.count("digest pass") == 3, checked.stdout
    (info, *_), response, request = records(path)
    assert info == "warcinfo" and response[0] == "response" and request[0] == "request"
    _, uri, warc, http, payload = response
    assert (uri, payload, warc.get_header("WARC-IP-Address")) == ("http://127.0.0.1:8000/review", body, "127.0.0.1")
    assert warc.protocol == "WARC/1.1" and warc.get_header("WARC-Date") == "2026-12-02T03:00:00.123456Z"
    assert warc.get_header("WARC-Payload-Digest") == warc_digest(content_hash(body))
    assert http.get_statuscode() == "200" and http.get_header("Content-Length") == str(len(body))
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip" and http.get_header("Content-Encoding") is None
    assert request[3].protocol == "GET" and request[3].get_header("User-Agent") == "critics-test"
    assert request[2].get_header("WARC-Concurrent-To") == warc.get_header("WARC-Record-ID")
    assert (entry.url, entry.record_type, entry.http_status, entry.digest) == (uri, "response", 200, content_hash(body))


def test_the_index_entry_locates_the_body(tmp_path):
    archive = WarcArchive(tmp_path)
    bodies = [b"<html>one</html>", bytes(range(256)) * 40, "é".encode() * 5000]
    entries = [archive.write(exchange(url=f"http://a.test/{i}", body=body))[0] for i, body in enumerate(bodies)]
    assert [read_payload(tmp_path, e.file_name, e.record_offset) for e in entries] == bodies
    assert archive.drain() == entries and archive.drain() == []


def test_not_modified_and_unchanged_bodies_are_revisit_records(tmp_path):
    archive = WarcArchive(tmp_path)
    body = b"<html>same</html>"
    sha = content_hash(body)
    [not_modified] = archive.write(exchange(body=b"", status=304, headers=[("ETag", '"v1"')]), previous_sha256=sha)
    [identical] = archive.write(exchange(body=body), previous_sha256=sha)
    [changed] = archive.write(exchange(body=b"<html>new</html>"), previous_sha256=sha)
    archive.close()
    assert [e.record_type for e in (not_modified, identical, changed)] == ["revisit", "revisit", "response"]
    assert not_modified.digest == identical.digest == sha
    [path] = warc_files(tmp_path)
    assert warcio_check(path).returncode == 0
    revisits = [r for r in records(path) if r[0] == "revisit"]
    assert [r[2].get_header("WARC-Profile") for r in revisits] == [PROFILE_NOT_MODIFIED, PROFILE_IDENTICAL]
    assert all(r[2].get_header("WARC-Payload-Digest") == warc_digest(sha) and r[4] == b"" for r in revisits)


def test_files_rotate_at_the_size_limit_and_every_file_checks(tmp_path):
    archive = WarcArchive(tmp_path, max_file_bytes=20_000)
    entries = [archive.write(exchange(url=f"http://a.test/{i}", body=bytes(range(256)) * 20 + str(i).encode()))[0]
               for i in range(40)]
    archive.close()
    files = warc_files(tmp_path)
    assert len(files) >= 3 and {e.file_name for e in entries} == {f.name for f in files}
    assert all(f.stat().st_size <= 20_000 for f in files)
    assert warcio_check(*files).returncode == 0
    assert all(records(path)[0][0] == "warcinfo" for path in files)
    assert all(read_payload(tmp_path, e.file_name, e.record_offset).endswith(str(i).encode())
               for i, e in enumerate(entries))


def test_threads_share_one_writer_without_interleaving(tmp_path):
    archive = WarcArchive(tmp_path, max_file_bytes=200_000)
    written: list = []

    def work(worker: int) -> None:
        for i in range(25):
            body = f"{worker}:{i}".encode() * 300
            written.extend(archive.write(exchange(url=f"http://a.test/{worker}/{i}", body=body)))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    archive.close()
    assert len(written) == 100
    for entry in written:
        worker, i = entry.url.rsplit("/", 2)[-2:]
        assert read_payload(tmp_path, entry.file_name, entry.record_offset) == f"{worker}:{i}".encode() * 300
    assert warcio_check(*warc_files(tmp_path)).returncode == 0
    assert sum(1 for path in warc_files(tmp_path) for r in records(path) if r[0] == "response") == 100


def test_a_torn_last_record_leaves_earlier_records_readable_and_the_next_writer_starts_a_new_file(tmp_path):
    first = WarcArchive(tmp_path)
    kept = [first.write(exchange(url=f"http://a.test/{i}", body=f"page {i}".encode() * 100))[0] for i in range(3)]
    [path] = warc_files(tmp_path)
    size = path.stat().st_size
    first.write(exchange(url="http://a.test/torn", body=b"x" * 5000))
    with open(path, "r+b") as handle:  # the process died halfway through writing the last record
        handle.truncate(size + (path.stat().st_size - size) // 2)
    first.close()
    assert [read_payload(tmp_path, e.file_name, e.record_offset) for e in kept] == [
        f"page {i}".encode() * 100 for i in range(3)]
    responses = []
    with open(path, "rb") as handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    responses.append((record.rec_headers.get_header("WARC-Target-URI"), record.raw_stream.read()))
        except Exception:  # noqa: BLE001 - warcio may or may not complain about the torn tail; earlier records count
            pass
    assert responses[:3] == [(f"http://a.test/{i}", f"page {i}".encode() * 100) for i in range(3)]
    second = WarcArchive(tmp_path)
    [entry] = second.write(exchange(url="http://a.test/after"))
    second.close()
    assert entry.file_name != path.name and warcio_check(tmp_path / entry.file_name).returncode == 0


class FailingHalfway:
    """A file whose write stores half the bytes and then fails, as a disk filling up does."""

    def __init__(self, handle):
        self.handle = handle
        self.fail = False

    def write(self, data: bytes) -> int:
        if self.fail:
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


def test_a_failed_write_is_cut_back_so_the_file_still_checks(tmp_path):
    archive = WarcArchive(tmp_path)
    [kept] = archive.write(exchange(url="http://a.test/kept"))
    archive._file = FailingHalfway(archive._file)
    archive._file.fail = True
    with pytest.raises(ArchiveWriteError, match="No space left on device"):
        archive.write(exchange(url="http://a.test/lost", body=b"y" * 10_000))
    archive._file.fail = False
    [after] = archive.write(exchange(url="http://a.test/after"))
    archive.close()
    [path] = warc_files(tmp_path)
    assert warcio_check(path).returncode == 0
    uris = [r[1] for r in records(path) if r[0] == "response"]
    assert uris == ["http://a.test/kept", "http://a.test/after"] and after.record_offset > kept.record_offset


def test_hostile_header_text_cannot_break_a_record(tmp_path):
    archive = WarcArchive(tmp_path)
    headers = [("X-Folded", "a\r\n b"), ("X-Latin", "caf\xe9 \xff"), ("Content-Type", "text/html\nInjected: 1")]
    archive.write(exchange(headers=headers))
    archive.close()
    [path] = warc_files(tmp_path)
    assert warcio_check(path).returncode == 0
    http = records(path)[1][3]
    assert http.get_header("Injected") is None and http.get_header("X-Folded") == "a   b"


def test_an_unwritable_folder_is_an_archive_write_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ArchiveWriteError, match="cannot write the raw archive"):
        WarcArchive(tmp_path / "file" / "warc").write(exchange())


def test_content_hash_is_the_sha256_of_the_bytes():
    assert content_hash(b"x") == hashlib.sha256(b"x").hexdigest()
