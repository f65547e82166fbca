"""Content-addressed archive: keys, fan-out, idempotent store, round-trip load."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from critics.tasks.acquire.archive import archive_path, content_hash, load, store


@pytest.mark.parametrize("body", [b"", b"<html>review</html>", bytes(range(256)) * 50, "Bücher – é".encode()])
def test_store_returns_the_sha256_of_the_bytes(tmp_path, body):
    assert store(tmp_path, body) == hashlib.sha256(body).hexdigest() == content_hash(body)


@pytest.mark.parametrize("body", [b"", b"<html>review</html>", bytes(range(256)) * 50, b"\x1f\x8b not really gzip"])
def test_load_round_trips_the_stored_bytes(tmp_path, body):
    assert load(tmp_path, store(tmp_path, body)) == body


def test_store_is_idempotent_one_file_at_one_path(tmp_path):
    first = store(tmp_path, b"same page")
    path = archive_path(tmp_path, first)
    mtime = path.stat().st_mtime_ns
    assert store(tmp_path, b"same page") == first
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [path] and path.stat().st_mtime_ns == mtime


def test_different_bodies_get_different_files(tmp_path):
    assert store(tmp_path, b"one") != store(tmp_path, b"two")
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 2


def test_archive_path_fans_out_by_the_first_two_hex_chars(tmp_path):
    sha = content_hash(b"x")
    assert archive_path(tmp_path, sha) == tmp_path / sha[:2] / f"{sha}.gz"
    assert archive_path(str(tmp_path), sha) == Path(tmp_path) / sha[:2] / f"{sha}.gz"


def test_store_writes_under_the_fan_out_directory(tmp_path):
    sha = store(tmp_path, b"fanned")
    assert (tmp_path / sha[:2] / f"{sha}.gz").is_file()


def test_load_of_an_unknown_hash_raises_file_not_found(tmp_path):
    store(tmp_path, b"something else")
    with pytest.raises(FileNotFoundError):
        load(tmp_path, content_hash(b"never stored"))
