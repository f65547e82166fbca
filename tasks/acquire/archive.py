"""The raw archive: every HTTP exchange kept as WARC 1.1 records (request, response, revisit) in rotating *.warc.gz
files that standard tools (warcio, pywb, cdxj-indexer) read; any night can be re-extracted from it without crawling.

Bodies are stored decoded (as the pipeline read them): Content-Encoding, Transfer-Encoding and Content-Length of the
response are kept as X-Archive-Orig-* headers and Content-Length states the stored length, so replay is faithful.
Each record is its own gzip member, written with one write() behind a lock: a crash can at worst leave a torn last
record, never damage an earlier one, and a new writer always starts a new file.
"""
from __future__ import annotations

import atexit
import gzip
import hashlib
import io
import os
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

WARC_VERSION = "1.1"
MAX_FILE_BYTES = 1_000_000_000  # rotate at about 1 GB, as crawlers customarily do
GZIP_LEVEL = 1  # 2x faster than 6 on review pages for ~6% more bytes; warcio's own default is 9
KEPT_AS_ORIGINAL = ("content-encoding", "transfer-encoding", "content-length")  # describe the wire, not the kept body
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
INDEXED_TYPES = ("response", "revisit", "resource")
SOFTWARE = "critics (https://github.com/critics-pipeline/critics) with warcio"


class ArchiveWriteError(Exception):
    """The archive could not be written (disk full, no permission): the night cannot keep its pages, so it stops."""


@dataclass
class IndexEntry:
    """One row of raw.warc_records: where a response, revisit or resource record lives."""

    url: str
    captured_at: datetime
    record_type: str
    http_status: int | None
    digest: str | None  # sha256 hex of the payload (the key raw.pages.sha256 uses)
    file_name: str
    record_offset: int
    record_length: int


def content_hash(body: bytes) -> str:
    """SHA-256 hex digest of page bytes (the archive key)."""
    return hashlib.sha256(body).hexdigest()


def warc_digest(sha256_hex: str) -> str:
    """The WARC spelling of a SHA-256 digest: `sha256:` and hex (RFC 4648 base16, which warcio check reads)."""
    return "sha256:" + sha256_hex


class _HexDigester(Digester):
    """SHA-256 labelled in hex: base64.b32encode is pure Python, 0.07 ms per digest, two or three per page."""

    def __init__(self):
        super().__init__("sha256")

    def __str__(self) -> str:
        return "sha256:" + self.digester.hexdigest()


class _RecordBuilder(WARCWriter):
    """warcio's record builder with SHA-256 digests (one hash for the archive, the index and raw.pages)."""

    @staticmethod
    def _create_digester():
        return _HexDigester()


class _Gzip:
    """One gzip member per record, compressed in one call at our settings (warcio's wrapper is fixed at level 9).

    Setting up deflate costs more than compressing a 7 KB page: records without a body (requests, revisits) use
    a 512-byte window and little memory (0.02 ms instead of 0.13), bodies memLevel 4 (-25% CPU, +2% bytes)."""

    def __init__(self, out: io.BytesIO, has_body: bool):
        self.out = out
        self.parts: list[bytes] = []
        self.settings = (zlib.MAX_WBITS + 16, 4) if has_body else (9 + 16, 2)

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, *self.settings)
        self.out.write(compressor.compress(b"".join(self.parts)) + compressor.flush())
        self.parts = []


class WarcArchive:
    """One writer per archive folder and process: thread-safe, rotating files at max_file_bytes."""

    def __init__(self, root: str | Path, max_file_bytes: int = MAX_FILE_BYTES):
        self.root = Path(root)
        self.max_file_bytes = max_file_bytes
        self.pending: list[IndexEntry] = []  # written, not yet in the database (drain)
        self._builder = _RecordBuilder(None, gzip=False, warc_version=WARC_VERSION)  # builds records; _append writes
        self._lock = threading.Lock()
        self._file = None
        self._name = ""
        self._sequence = 0
        self._prefix = f"critics-{datetime.now(timezone.utc):%Y%m%d%H%M%S%f}-{os.getpid()}"

    def write(self, exchange, previous_sha256: str | None = None) -> list[IndexEntry]:
        """Archive one exchange (tasks/acquire/fetch.Exchange): response or revisit, then its request."""
        response = self._response_record(exchange, previous_sha256)
        request = self._request_record(exchange, response.rec_headers.get_header("WARC-Record-ID"))
        digest = (exchange.sha256 or previous_sha256) if response.rec_type == "revisit" else exchange.sha256
        entry = IndexEntry(exchange.url, exchange.started_at, response.rec_type, exchange.status, digest, "", 0, 0)
        return self._append([(response, entry), (request, None)])

    def write_resource(self, url: str, body: bytes, captured_at: datetime, content_type: str | None) -> IndexEntry:
        """Archive bytes known without their HTTP exchange (the pre-WARC archive) as a `resource` record."""
        sha = content_hash(body)
        record = self._builder.create_warc_record(
            url, "resource", payload=io.BytesIO(body), length=len(body),
            warc_content_type=content_type or "application/octet-stream",
            warc_headers_dict={"WARC-Date": _warc_date(captured_at), "WARC-Payload-Digest": warc_digest(sha)})
        return self._append([(record, IndexEntry(url, captured_at, "resource", None, sha, "", 0, 0))])[0]

    def drain(self) -> list[IndexEntry]:
        """Index entries written since the last drain, for raw.warc_records."""
        with self._lock:
            entries, self.pending = self.pending, []
        return entries

    def close(self) -> None:
        """Close the current file (every record in it is already flushed)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    @property
    def current_file(self) -> Path | None:
        """The file being written, if any."""
        return self.root / self._name if self._name else None

    def _append(self, records: list) -> list[IndexEntry]:
        """Compress the records, then write them with one write() at the end of the current file."""
        buffer, spans = io.BytesIO(), []
        for record, entry in records:
            start = buffer.tell()
            self._builder._write_warc_record(_Gzip(buffer, record.rec_type in ("response", "resource")), record)
            spans.append((entry, start, buffer.tell() - start))
        with self._lock:
            handle = self._open_for(buffer.tell())
            base = handle.tell()
            _write_whole(handle, buffer.getvalue(), base, self.root)
            entries = [_placed(entry, self._name, base + start, length) for entry, start, length in spans if entry]
            self.pending += entries
        return entries

    def _open_for(self, size: int):
        if self._file is not None and self._file.tell() + size > self.max_file_bytes and self._file.tell() > 0:
            self._file.close()
            self._file = None
        if self._file is None:
            self._sequence += 1
            self._name = f"{self._prefix}-{self._sequence:05d}.warc.gz"
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                self._file = open(self.root / self._name, "xb")  # noqa: SIM115 - held across writes, closed in close()
            except OSError as exc:
                raise ArchiveWriteError(f"cannot write the raw archive in {self.root}: {exc}") from exc
            _write_whole(self._file, self._warcinfo(), 0, self.root)
        return self._file

    def _warcinfo(self) -> bytes:
        info = {"software": SOFTWARE, "format": f"WARC File Format {WARC_VERSION}",
                "description": "critics raw archive: HTTP bodies stored decoded; "
                               "X-Archive-Orig-* headers keep the wire framing"}
        buffer = io.BytesIO()
        self._builder._write_warc_record(_Gzip(buffer, False), self._builder.create_warcinfo_record(self._name, info))
        return buffer.getvalue()

    def _response_record(self, exchange, previous: str | None):
        status_line = _ascii_line(f"{exchange.status} {exchange.reason}".strip())
        headers = StatusAndHeaders(status_line, _stored_headers(exchange), protocol=exchange.http_version)
        warc = [("WARC-IP-Address", exchange.peer_address)] if exchange.peer_address else []
        if exchange.status == 304 or (previous and exchange.sha256 == previous):
            return self._revisit_record(exchange, headers, warc, previous)
        if exchange.sha256:
            warc.append(("WARC-Payload-Digest", warc_digest(exchange.sha256)))
        if exchange.truncated:
            warc.append(("WARC-Truncated", exchange.truncated))
        return self._builder.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
            http_headers=headers, warc_headers=_warc_headers("response", exchange, warc))

    def _revisit_record(self, exchange, headers: StatusAndHeaders, warc: list, previous: str | None):
        warc.append(("WARC-Profile", PROFILE_NOT_MODIFIED if exchange.status == 304 else PROFILE_IDENTICAL))
        warc.append(("WARC-Refers-To-Target-URI", exchange.url))
        if previous:
            warc.append(("WARC-Payload-Digest", warc_digest(previous)))
        return self._builder.create_warc_record(exchange.url, "revisit", http_headers=headers,
                                                warc_headers=_warc_headers("revisit", exchange, warc))

    def _request_record(self, exchange, response_id: str):
        path = exchange.url.split("://", 1)[-1]
        path = ("/" + path.split("/", 1)[1] if "/" in path else "/").split("#", 1)[0]
        if not path.isascii():
            path = "".join(c if c.isascii() else quote(c) for c in path)  # as urllib3 sent it
        headers = StatusAndHeaders(_ascii_line(f"GET {path} {exchange.http_version}"), _clean(exchange.request_headers),
                                   is_http_request=True)
        warc = _warc_headers("request", exchange, [("WARC-Concurrent-To", response_id)])
        return self._builder.create_warc_record(exchange.url, "request", http_headers=headers, warc_headers=warc)


def _warc_headers(record_type: str, exchange, extra: list) -> StatusAndHeaders:
    """A record's WARC headers in one list (warcio's header-by-header building was a fifth of the write)."""
    return StatusAndHeaders("", [("WARC-Type", record_type), ("WARC-Record-ID", StatusAndHeadersParser.make_warc_id()),
                                 ("WARC-Target-URI", exchange.url), ("WARC-Date", _warc_date(exchange.started_at)),
                                 *extra], protocol=f"WARC/{WARC_VERSION}")


def read_payload(root: str | Path, file_name: str, record_offset: int) -> bytes:
    """The payload (body) of the record at this offset; raises FileNotFoundError or ValueError when absent."""
    with open(Path(root) / Path(file_name).name, "rb") as handle:
        handle.seek(record_offset)
        for record in ArchiveIterator(handle):
            if record.rec_type not in ("response", "resource"):
                raise ValueError(f"record at {file_name}:{record_offset} is a {record.rec_type} record")
            return record.raw_stream.read()
    raise ValueError(f"no record at {file_name}:{record_offset}")


@dataclass
class Migration:
    """What moving the pre-WARC archive (one gzip per body, named by its hash) into WARC did."""

    body_count: int = 0  # old files read
    record_count: int = 0  # resource records written (one per URL that had the body)
    orphan_count: int = 0  # bodies no URL in the database points at (left where they were)
    damaged_count: int = 0  # unreadable, or bytes not matching their name


def migrate_legacy(legacy_root: Path, archive: WarcArchive, versions: dict[str, list[tuple]],
                   done: set[tuple[str, str]]) -> Migration:
    """Write every old body as a resource record per (url, captured_at, content_type) in versions[sha256].

    Pairs in `done` (url, sha256) were migrated by an earlier, interrupted attempt and are skipped."""
    counts = Migration()
    for path in sorted(Path(legacy_root).glob("*/*.gz")):
        body = _legacy_body(path)
        counts.body_count += 1
        if body is None:
            counts.damaged_count += 1
            continue
        todo = [v for v in versions.get(path.stem, []) if (v[0], path.stem) not in done]
        counts.orphan_count += not versions.get(path.stem)
        for url, captured_at, content_type in todo:
            archive.write_resource(url, body, captured_at, content_type)
            counts.record_count += 1
    return counts


def _legacy_body(path: Path) -> bytes | None:
    try:
        body = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error):
        return None
    return body if content_hash(body) == path.stem else None


def warc_files(root: str | Path) -> list[Path]:
    """Every archive file in the folder, oldest first."""
    return sorted(Path(root).glob("*.warc.gz"))


_ARCHIVES: dict[Path, WarcArchive] = {}
_ARCHIVES_LOCK = threading.Lock()


def open_archive(root: str | Path) -> WarcArchive:
    """The one writer of this process for an archive folder (closed at exit)."""
    key = Path(root).resolve()
    with _ARCHIVES_LOCK:
        if key not in _ARCHIVES:
            _ARCHIVES[key] = WarcArchive(key)
        return _ARCHIVES[key]


@atexit.register
def _close_all() -> None:
    for archive in list(_ARCHIVES.values()):
        archive.close()


def _write_whole(handle, data: bytes, base: int, root: Path) -> None:
    """Write and flush; on failure cut the file back to where it was, so no torn record stays behind."""
    try:
        handle.write(data)
        handle.flush()
    except OSError as exc:
        try:
            handle.truncate(base)
            handle.seek(base)
        except OSError:
            pass
        raise ArchiveWriteError(f"cannot write the raw archive in {root}: {exc}") from exc


def _placed(entry: IndexEntry, file_name: str, offset: int, length: int) -> IndexEntry:
    entry.file_name, entry.record_offset, entry.record_length = file_name, offset, length
    return entry


def _stored_headers(exchange) -> list[tuple[str, str]]:
    """Response headers describing the body as stored: wire framing renamed X-Archive-Orig-*, true length."""
    headers = [(f"X-Archive-Orig-{name}" if name.lower() in KEPT_AS_ORIGINAL else name, value)
               for name, value in _clean(exchange.headers)]
    if exchange.status not in (204, 304):
        headers.append(("Content-Length", str(len(exchange.body))))
    return headers


def _clean(headers) -> list[tuple[str, str]]:
    """Header names and values as one ASCII line each (a folded or hostile header must not break the record)."""
    return [(_ascii_line(name), _ascii_line(value)) for name, value in headers]


def _ascii_line(text: str) -> str:
    """CR/LF to spaces; bytes outside ASCII %-encoded (http.client read them as Latin-1; warcio writes ASCII)."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    if text.isascii():
        return text
    raw = text.encode("latin-1") if max(map(ord, text)) < 256 else text.encode("utf-8")
    return "".join(chr(b) if b < 128 else f"%{b:02X}" for b in raw)


def _warc_date(when: datetime) -> str:
    return datetime_to_iso_date(when.astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)
