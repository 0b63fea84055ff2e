"""Polite HTTP for `eventlens watch` (httpx): robots.txt, a delay per host, timeouts, redirects
followed hop by hop (each hop checked against its host's robots.txt), conditional requests
(ETag / Last-Modified) and a size cap enforced while the body streams in. A public feed cannot send
the watch into the local network: its items' links, and every redirect hop, are refused when their
host is a loopback, private, link-local or otherwise non-public address (a feed the user added on such
a host is trusted, and so are its items).

Every failure is a :class:`FetchError` with one line saying why and whether trying again later
can help (``transient``: timeouts, connection failures, 5xx, 429).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from eventlens.config import Settings

__all__ = ["MAX_REDIRECTS", "FetchError", "Fetcher", "Response", "non_public_host"]

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
#: how long a host's robots.txt is trusted before it is read again
_ROBOTS_TTL_S = 24 * 3600.0


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is one line, ``transient`` says a later try may work."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    #: where a redirect points
    location: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def non_public_host(host: str) -> bool:
    """Whether ``host`` (a name or an address literal) is, or resolves to, an address that is not
    public: loopback, private, link-local (cloud metadata at 169.254.169.254), shared or reserved.
    A name that does not resolve is left to fail on its own."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None)
    except (OSError, UnicodeError):
        return False
    return any(not ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_global for info in infos)


def _content_type(header: str | None) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = header or ""
    charset = msg.get_param("charset")
    return msg.get_content_type() if header else "", charset if isinstance(charset, str) else None


class Fetcher:
    """One HTTP client for a watch: requests to a host are spaced by ``settings.fetch_delay``
    seconds (or the host's robots.txt Crawl-delay, if longer)."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout), follow_redirects=False, transport=transport,
            headers={"User-Agent": settings.user_agent},
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[RobotFileParser, float]] = {}
        self._local: dict[str, bool] = {}

    def close(self) -> None:
        self._client.close()

    def is_local(self, url: str) -> bool:
        """Whether the URL's host is not a public address (looked up once per host and watch)."""
        host = urlsplit(url).hostname or ""
        if host not in self._local:
            self._local[host] = non_public_host(host)
        return self._local[host]

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            local_ok: bool = True) -> Response:
        """The answer for ``url`` after redirects (a 304 when the validators still hold).
        ``local_ok=False``: refuse any hop to a non-public address (:func:`non_public_host`)."""
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {url}")
            if not local_ok and self.is_local(url):
                raise FetchError(f"refused: {parts.hostname} is not a public address, and the feed that "
                                 "links to it is public")
            self._check_robots(url)
            resp = self._request(url, headers)
            if resp.location is not None:
                url = urljoin(url, resp.location)
                continue
            return resp
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    # -- one request -------------------------------------------------------------------------------
    def _request(self, url: str, headers: dict[str, str]) -> Response:
        self._wait_turn(url)
        timeout = self.settings.fetch_timeout
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                if resp.status_code in _REDIRECTS:
                    location = resp.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
                    return Response(url, resp.status_code, b"", "", None, location=location)
                _check_status(resp)
                body = b"" if resp.status_code == 304 else self._read_capped(resp)
                ctype, charset = _content_type(resp.headers.get("content-type"))
                return Response(str(resp.url), resp.status_code, body, ctype, charset,
                                resp.headers.get("etag"), resp.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {timeout:g} s (fetch_timeout)", transient=True) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"invalid URL ({exc})") from None
        except httpx.TransportError as exc:
            raise FetchError(f"cannot connect ({type(exc).__name__}: {exc})", transient=True) from None

    def _read_capped(self, resp: httpx.Response) -> bytes:
        cap = self.settings.fetch_max_bytes
        declared = resp.headers.get("content-length", "")
        too_big = f"larger than the fetch_max_bytes cap of {cap:,} bytes; not read"
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{int(declared):,} bytes, {too_big}")
        deadline = time.monotonic() + 4 * self.settings.fetch_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(too_big)
            if time.monotonic() > deadline:
                raise FetchError(f"still sending after {4 * self.settings.fetch_timeout:g} s", transient=True)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        """Space requests to one host by the politeness delay."""
        host = _host(url)
        delay = self.settings.fetch_delay
        robots = self._robots.get(host)
        if robots is not None:
            asked = robots[0].crawl_delay(self.settings.user_agent)
            delay = max(delay, float(asked or 0))
        last = self._last.get(host)
        if last is not None and (wait := last + delay - time.monotonic()) > 0:
            self._sleep(wait)
        self._last[host] = time.monotonic()

    # -- robots.txt --------------------------------------------------------------------------------
    def _check_robots(self, url: str) -> None:
        host = _host(url)
        cached = self._robots.get(host)
        if cached is None or time.monotonic() - cached[1] > _ROBOTS_TTL_S:
            self._robots[host] = cached = (self._read_robots(host), time.monotonic())
        if not cached[0].can_fetch(self.settings.user_agent, url):
            raise FetchError(f"robots.txt of {host} disallows it")

    def _read_robots(self, host: str) -> RobotFileParser:
        """The host's rules (RFC 9309: a 4xx answer allows everything; 5xx or no answer disallows
        everything for now, and is not cached)."""
        parser = RobotFileParser(f"{host}/robots.txt")
        try:
            resp = self._request(f"{host}/robots.txt", {})
        except FetchError as exc:
            if not exc.transient:  # 4xx
                parser.parse([])
                return parser
            raise FetchError(f"robots.txt of {host} unreachable ({exc.reason})", transient=True) from None
        parser.parse(resp.body.decode("utf-8", errors="replace").splitlines())
        return parser


def _check_status(resp: httpx.Response) -> None:
    code = resp.status_code
    if code < 400 or code == 304:
        return
    reason = f"HTTP {code} {resp.reason_phrase}".strip()
    raise FetchError(reason, transient=code >= 500 or code in (408, 429))
