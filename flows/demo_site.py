"""Serve the built-in demo site on a free loopback port, with ETag/Last-Modified support."""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from critics.schemas.paths import package_data
from critics.schemas.config import Config, config_from_dict, config_to_toml

DEMO_ROOT = package_data("demo_site")
PLACEHOLDER = b"__BASE__"


def demo_config(base_url: str, truth: dict | None = None) -> Config:
    """The built-in config: one unthrottled source whose start URL is the demo sitemap index."""
    truth = truth if truth is not None else load_truth()
    return config_from_dict({
        "timezone": "Europe/London",
        "sources": [{"name": "Critics Demo", "start_urls": [f"{base_url}/sitemap_index.xml"],
                     "requests_per_second": 0, "max_pages": 1000}],
        "critics": {"top": truth.get("top_critics", [])},
    }, origin="built-in demo config")


def load_truth(root: Path = DEMO_ROOT) -> dict:
    """The generator's ground truth for every demo page."""
    import json

    return json.loads((root / "truth.json").read_text(encoding="utf-8"))


DEMO_PORT = 8599  # fixed so that URLs, and so review ids, are the same from one `critics run` to the next


@contextmanager
def serve_demo(site_dir: Path | None = None, port: int = 0):
    """Run the demo site in a background thread; yields its base URL (http://127.0.0.1:PORT)."""
    site_dir = Path(site_dir or DEMO_ROOT / "site")
    if not site_dir.is_dir():
        raise FileNotFoundError(f"demo site not found at {site_dir}; run: python data/demo_site/generate.py")
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(site_dir))
    except OSError:  # the preferred port is taken: any free port still gives a correct (if not incremental) run
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site_dir))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _handler(site_dir: Path):
    class DemoHandler(BaseHTTPRequestHandler):
        """Static files with the base URL substituted and conditional GET."""

        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle and delayed ACKs each request stalls ~40 ms.
        disable_nagle_algorithm = True

        def do_GET(self):  # noqa: N802 (http.server naming)
            path = _resolve(site_dir, urlsplit(self.path).path)
            if path is None:
                return self._send(404, b"not found", "text/plain")
            body = _render(path, f"http://{self.headers.get('Host', '127.0.0.1')}".encode())
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            modified = formatdate(path.stat().st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", None, etag, modified)
            self._send(200, body, _content_type(path), etag, modified)

        def _send(self, status, body, content_type, etag=None, modified=None):
            self.send_response(status)
            for name, value in (("Content-Type", content_type), ("ETag", etag), ("Last-Modified", modified)):
                if value:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the terminal for the pipeline's own output
            pass

    return DemoHandler


def _resolve(site_dir: Path, url_path: str) -> Path | None:
    path = (site_dir / unquote(url_path).lstrip("/")).resolve()
    if site_dir.resolve() not in path.parents and path != site_dir.resolve():
        return None
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def _render(path: Path, base: bytes) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.compress(gzip.decompress(data).replace(PLACEHOLDER, base), mtime=0)
    return data.replace(PLACEHOLDER, base)


def _content_type(path: Path) -> str:
    if path.suffix == ".gz":
        return "application/x-gzip"
    if path.suffix == ".xml":
        return "application/xml"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


@contextmanager
def running_demo(folder: Path):
    """Serve the built-in demo site and write its config into folder; yields the config path."""
    with serve_demo(port=DEMO_PORT) as base_url:
        path = Path(folder) / "critics-demo.toml"
        path.write_text(config_to_toml(demo_config(base_url)), encoding="utf-8")
        print(f"Serving the built-in demo site at {base_url}", flush=True)
        yield path
