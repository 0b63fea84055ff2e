"""A real HTTP server on 127.0.0.1 for the watch tests: feeds, pages, slow answers, errors,
redirects, oversized and malformed documents. Nothing leaves the loopback.

    with FeedServer() as srv:
        srv.route("/page/1", body=html)                       # 200 text/html
        srv.route("/gone", status=404)
        srv.route("/slow", body=html, delay=5)                 # answers after 5 s
        srv.route("/moved", status=301, headers={"Location": "/page/1"})
        srv.route("/feed.xml", body=rss, etag='"v1"')          # 304 to If-None-Match "v1"
        srv.url("/feed.xml"); srv.hits["/page/1"]              # requests seen per path
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    #: send the body without a Content-Length (the size cap must stop the stream itself)
    chunked: bool = False


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (timed out, or stopped reading at the size cap) is no error; the
        default prints a traceback to whatever sys.stderr is at that moment (a CliRunner's)."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.hits[path] += 1
                    route = server.routes.get(path)
                if route is None:
                    route = Route(status=404, body=b"not found", content_type="text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    server.conditional[path] += 1
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.chunked:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        for i in range(0, len(route.body), 65536):
                            self.wfile.write(route.body[i:i + 65536])
                    except OSError:
                        pass  # the client stopped reading: what the size cap does
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may stop reading
                    self.wfile.write(route.body)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: str | bytes = b"", **kw: Any) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.routes[path] = Route(body=data, **kw)


# -- documents ----------------------------------------------------------------------------------------

BASE_DAY = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
PLACES = ["Kirkuk", "Mosul", "Basra", "Gao", "Maiduguri", "Aden", "Kismayo", "Goma", "Lashio", "Kharkiv"]
TEMPLATES = [
    "Gunmen shot dead {n} farmers near {p} on Monday, local officials said.",
    "Police fired tear gas to disperse hundreds of protesters in {p} on Tuesday.",
    "A roadside bomb killed {n} soldiers on the road outside {p} on Wednesday.",
    "Security forces arrested {n} suspected militants in a raid in {p} on Thursday.",
    "The central bank said inflation in {p} slowed for a third month.",
]


def item_time(i: int) -> datetime:
    """Item i's publication time: one every 7 hours from BASE_DAY."""
    return BASE_DAY + timedelta(hours=7 * i)


def page_html(i: int, title: str | None = None) -> str:
    """Item i's page: a news article whose metadata date is its feed publication day."""
    import random

    rng = random.Random(i)
    body = " ".join(rng.choice(TEMPLATES).format(n=rng.randint(2, 9), p=rng.choice(PLACES)) for _ in range(3))
    day = item_time(i).date().isoformat()
    title = title or f"Report {i} from the region"
    return (f"<!DOCTYPE html><html><head><title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="{day}">'
            f"</head><body><nav>Home | World | Sport</nav><article><h1>{escape(title)}</h1>"
            f"<p>{body} (story {i})</p><p>More details were not immediately available, the agency "
            f"said in a statement on its website.</p></article><footer>Copyright</footer></body></html>")


def rss(items: list[tuple[str, str, datetime | None]], title: str = "Test Wire") -> str:
    """An RSS 2.0 feed of (link, title, published) items, newest first as feeds list them."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        + (f"<pubDate>{format_datetime(at)}</pubDate>" if at else "") + "</item>"
        for link, t, at in reversed(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test</description>{entries}</channel></rss>")


def atom(items: list[tuple[str, str, datetime]], title: str = "Atom Wire") -> str:
    entries = "".join(
        f"<entry><title>{escape(t)}</title><link href=\"{escape(link)}\"/><id>{escape(link)}</id>"
        f"<updated>{at.isoformat()}</updated></entry>" for link, t, at in reversed(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:test</id><updated>2024-03-01T00:00:00Z</updated>"
            f"{entries}</feed>")
