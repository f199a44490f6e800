"""A tiny web site on loopback for digest tests: the pages and feed in tests/data/web.

``http://HOST/`` in the files becomes the server's own address. ``/gone.html`` answers
404; ``bad-feed.xml`` is served as an RSS feed although it is not XML.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parent / "data" / "web"
TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}


class WebSite:
    def __init__(self) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                site.requests.append(self.path)
                file = WEB / self.path.lstrip("/")
                if self.path == "/gone.html" or not file.is_file():
                    self._send(404, "text/html", b"<html><body>Not found</body></html>")
                    return
                body = file.read_bytes().replace(b"http://HOST", site.url.encode())
                self._send(200, TYPES.get(file.suffix, "text/plain"), body)

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
