"""A small HTTP server on 127.0.0.1 for the HTTP-source tests: routes are data, every request is
counted, ETag / If-None-Match are honoured, and a route can fail a number of times before it works."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    status: int = 200
    fail_first: int = 0  # answer 503 this many times first
    redirect_to: str | None = None
    delay_seconds: float = 0.0

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: Counter = field(default_factory=Counter)  # path → requests
    bodies_sent: Counter = field(default_factory=Counter)  # path → 200 answers with a body
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def serve(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path
            site.requests[path] += 1
            route = site.routes.get(path)
            if route is None:
                return self._answer(404, b"not found")
            if route.delay_seconds:
                threading.Event().wait(route.delay_seconds)
            if site.requests[path] <= route.fail_first:
                return self._answer(503, b"busy")
            if route.redirect_to:
                self.send_response(302)
                self.send_header("Location", route.redirect_to)
                self.end_headers()
                return None
            if route.status != 200:
                return self._answer(route.status, b"")
            if self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return None
            site.bodies_sent[path] += 1
            return self._answer(200, route.body, route.content_type, route.etag)

        def _answer(self, status, body, content_type="text/plain", etag=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
