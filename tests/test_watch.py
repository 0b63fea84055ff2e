"""`eventlens watch` against a real HTTP server on 127.0.0.1 (tests/feed_server.py), with a stand-in
coder (tokenizer only, one event per article) so the fast tier needs no model: items found once,
fetched once, stored once with the feed's title, URL and time; every kind of failure one status
line that never stops the watch; a poll broken off half-way resumed without loss or duplicates;
drop folders; feed lists; the API's /api/feeds and "new since"; the CLI's feeds commands. Store
tests run on SQLite, and on PostgreSQL too when EVENTLENS_TEST_PG_URL is set. The real coder and
SIGKILLs: tests/test_watch_kills.py."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from eventlens.config import Settings
from eventlens.engines.inline import InlineEngine
from eventlens.errors import ConfigError
from eventlens.model import Document, EventMention, Rejection, Span
from eventlens.pipeline import DocumentResult, Pipeline
from eventlens.store import Store, open_store
from eventlens.watch import Fetcher, Watcher, normalise_url, parse_every, read_feed_list
from eventlens.watch import http as watch_http
from eventlens.watch.feeds import parse_feed
from eventlens.watch.http import non_public_host
from tests.feed_server import FeedServer, atom, item_time, page_html, rss
from tests.store_backends import BACKENDS, store_url
from tests.store_testkit import make_coding


class OneEventPerArticle:
    """A stand-in coder: one Attack event on each article's first 40 characters."""

    name = "test.one-event"

    def extract(self, parsed: Any) -> list[EventMention]:
        art = parsed.article
        if not art.text:
            return []
        end = min(40, len(art.text))
        return [EventMention(f"{art.id}-m0", art.doc_id, art.id, 0, Span(art.text[:end], 0, end),
                             make_coding())]


@pytest.fixture()
def settings() -> Settings:
    return Settings.load(Path("no-such.toml"), workers=0, fetch_delay=0.0, fetch_timeout=1.0,
                         fetch_max_bytes=100_000, watch_settle=0.0, prefilter=False)


@pytest.fixture()
def engine(settings: Settings, stub_nlp: Any, stub_geocoder: Any) -> InlineEngine:
    return InlineEngine(settings, Pipeline(settings, nlp=stub_nlp, geocoder=stub_geocoder,
                                           extractor=OneEventPerArticle()))  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with open_store(store_url(request.param, tmp_path)) as s:
        yield s


@pytest.fixture()
def srv() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def publish(srv: FeedServer, ids: Iterable[int], path: str = "/feed.xml", etag: str | None = None) -> None:
    """Pages /p/<i> and a feed listing them."""
    items = []
    for i in ids:
        srv.route(f"/p/{i}", page_html(i))
        items.append((srv.url(f"/p/{i}"), f"Report {i} from the region", item_time(i)))
    srv.route(path, rss(items), content_type="application/rss+xml", etag=etag)


def poll(settings: Settings, store: Store, engine: Any, only: list[str] | None = None) -> list[str]:
    watcher = Watcher(settings, store, engine, only=only)
    try:
        return watcher.poll()
    finally:
        watcher.close()


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as con:
        return [tuple(r) for r in con.execute(sa.text(sql))]


# -- the main path ----------------------------------------------------------------------------------------

def test_items_are_stored_once_with_the_feeds_title_url_and_time(
    settings: Settings, store: Store, engine: Any, srv: FeedServer,
) -> None:
    publish(srv, range(5), etag='"v1"')
    feed = store.add_feed(srv.url("/feed.xml"))
    lines = poll(settings, store, engine)
    assert lines == [f"feed {feed.url}: 5 new items, 5 stored; 5 items seen in all"]
    docs = rows(store, "SELECT source, url, title, CAST(published AS TEXT) FROM documents ORDER BY published")
    assert docs == [(srv.url(f"/p/{i}"), srv.url(f"/p/{i}"), f"Report {i} from the region",
                     item_time(i).date().isoformat()) for i in range(5)]
    assert rows(store, "SELECT count(*) FROM mentions")[0][0] == 5
    item = store.feed_item_of(rows(store, "SELECT id FROM documents WHERE source LIKE '%/p/3'")[0][0])
    assert item is not None
    assert (item.feed_url, item.feed_title, item.published) == (feed.url, "Test Wire", item_time(3))

    # the feed has not changed: one conditional request, no page fetched again
    assert poll(settings, store, engine) == [f"feed {feed.url}: not modified; 5 items seen in all"]
    assert srv.conditional["/feed.xml"] == 1
    # a burst: two more items, and the feed without validators (all items listed again)
    publish(srv, range(7))
    assert poll(settings, store, engine) == [f"feed {feed.url}: 2 new items, 2 stored; 7 items seen in all"]
    assert all(srv.hits[f"/p/{i}"] == 1 for i in range(7))
    assert rows(store, "SELECT count(*) FROM documents")[0][0] == 7
    status = store.feeds()[0]
    assert (status.items_seen, status.stored, status.failed, status.pending) == (7, 7, 0, 0)
    assert status.title == "Test Wire" and status.last_error is None
    runs = rows(store, "SELECT status, documents FROM runs ORDER BY id")
    assert runs == [("finished", 5), ("finished", 0), ("finished", 2)]


def test_the_same_page_under_two_urls_is_fetched_for_each_and_stored_once(
    settings: Settings, store: Store, engine: Any, srv: FeedServer,
) -> None:
    srv.route("/a", page_html(1))
    srv.route("/b", page_html(1))
    at = item_time(1)
    srv.route("/feed.xml", rss([(srv.url("/a"), "A", at), (srv.url("/b"), "B", at),
                                (srv.url("/a") + "?utm_source=x#top", "A again", at)]))
    store.add_feed(srv.url("/feed.xml"))
    [line] = poll(settings, store, engine)
    assert line.endswith(": 2 new items, 1 stored, 1 already stored; 2 items seen in all")
    assert rows(store, "SELECT count(*) FROM documents")[0][0] == 1
    assert (srv.hits["/a"], srv.hits["/b"]) == (1, 1)


def test_publication_day_is_the_publishers_own(srv: FeedServer) -> None:
    body = rss([("http://x.test/1", "late", None)]).replace(
        "</guid>", "</guid><pubDate>Mon, 04 Mar 2024 23:30:00 -0500</pubDate>", 1).encode()
    [item] = parse_feed(body, "http://x.test/feed").items
    assert item.published == datetime(2024, 3, 5, 4, 30, tzinfo=UTC)
    assert item.published_day == date(2024, 3, 4)
    atom_items = parse_feed(atom([("http://x.test/2", "two", item_time(2)),
                                  ("/3", "relative", item_time(3))]).encode(), "http://x.test/feed").items
    assert [(i.url, i.published_day) for i in atom_items] == [
        ("http://x.test/2", item_time(2).date()), ("http://x.test/3", item_time(3).date())]


# -- failures -------------------------------------------------------------------------------------------

def test_every_failure_is_one_status_line_and_the_watch_goes_on(
    settings: Settings, store: Store, engine: Any, srv: FeedServer,
) -> None:
    srv.route("/malformed.xml", b"<rss><channel><item><title>broken", content_type="application/rss+xml")
    srv.route("/html.xml", "<html><body>not a feed</body></html>")
    srv.route("/error.xml", status=500)
    srv.route("/slow.xml", rss([]), delay=3.0)
    srv.route("/huge.xml", b"<rss>" + b" " * 200_000, content_type="application/rss+xml")
    good = {"/ok": page_html(1), "/moved": b"", "/gone": b"", "/broken": b"", "/slow": page_html(2),
            "/huge": page_html(3) + " " * 200_000, "/stream": page_html(4) + " " * 200_000,
            "/pdf": b"%PDF-1.4", "/loop": b""}
    srv.route("/ok", good["/ok"])
    srv.route("/moved", status=301, headers={"Location": "/ok-after-move"})
    srv.route("/ok-after-move", page_html(5))
    srv.route("/gone", status=404)
    srv.route("/broken", status=503)
    srv.route("/slow", good["/slow"], delay=3.0)
    srv.route("/huge", good["/huge"])
    srv.route("/stream", good["/stream"], chunked=True)
    srv.route("/pdf", good["/pdf"], content_type="application/pdf")
    srv.route("/loop", status=302, headers={"Location": "/loop"})
    srv.route("/feed.xml", rss([(srv.url(p), p, item_time(i)) for i, p in enumerate(good)]))
    names = ["/malformed.xml", "/html.xml", "/error.xml", "/slow.xml", "/huge.xml", "/missing.xml",
             "/feed.xml"]
    for name in names:
        store.add_feed(srv.url(name))
    lines = poll(settings, store, engine)
    assert len(lines) == len(names)  # one line per feed
    by_feed = dict(zip(names, lines, strict=True))
    assert "error: malformed feed (" in by_feed["/malformed.xml"]
    assert "error: not an RSS or Atom feed (text/html is not an XML media type)" in by_feed["/html.xml"]
    assert "error: HTTP 500 Internal Server Error" in by_feed["/error.xml"]
    assert "error: timed out after 1 s (fetch_timeout)" in by_feed["/slow.xml"]
    assert "error: 200,005 bytes, larger than the fetch_max_bytes cap of 100,000" in by_feed["/huge.xml"]
    assert "error: HTTP 404 Not Found" in by_feed["/missing.xml"]
    assert by_feed["/feed.xml"].startswith(f"feed {srv.url('/feed.xml')}: 9 new items, 2 stored, 5 failed, "
                                           "2 to retry; 9 items seen in all (last failure ")
    reasons = {r.source.removeprefix(srv.base): r.reason for r in store.rejections()}
    assert reasons == {
        "/gone": "cannot fetch: HTTP 404 Not Found",
        "/huge": f"cannot fetch: {len(good['/huge']):,} bytes, larger than the fetch_max_bytes cap of "
                 "100,000 bytes; not read",
        "/stream": "cannot fetch: larger than the fetch_max_bytes cap of 100,000 bytes; not read",
        "/pdf": "cannot fetch: not an HTML page (application/pdf)",
        "/loop": "cannot fetch: more than 5 redirects",
    }
    stored = {r[0].removeprefix(srv.base) for r in rows(store, "SELECT source FROM documents")}
    assert stored == {"/ok", "/moved"}  # the redirect's page is stored under the item's URL
    # the 503 and the timeout are tried again at the next polls, then given up
    for n in (2, 3):
        [line] = poll(settings, store, engine, only=[srv.url("/feed.xml")])
        assert ", 2 to retry" in line if n == 2 else ", 2 failed" in line
    assert srv.hits["/broken"] == 3 and srv.hits["/gone"] == 1
    status = {f.url.removeprefix(srv.base): f for f in store.feeds()}
    assert status["/feed.xml"].failed == 7 and status["/feed.xml"].stored == 2
    assert status["/error.xml"].last_success is None and status["/error.xml"].last_error == (
        "HTTP 500 Internal Server Error")


def test_robots_txt_is_obeyed_and_requests_to_a_host_are_spaced(
    settings: Settings, store: Store, engine: Any, srv: FeedServer,
) -> None:
    srv.route("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 7\n",
              content_type="text/plain")
    srv.route("/private/1", page_html(1))
    srv.route("/open/2", page_html(2))
    srv.route("/feed.xml", rss([(srv.url("/private/1"), "p", item_time(1)),
                                (srv.url("/open/2"), "o", item_time(2))]))
    store.add_feed(srv.url("/feed.xml"))
    waits: list[float] = []
    watcher = Watcher(settings, store, engine, fetcher=Fetcher(settings, sleep=waits.append))
    [line] = watcher.poll()
    watcher.close()
    assert "1 stored, 1 failed" in line
    assert srv.hits["/private/1"] == 0 and srv.hits["/robots.txt"] == 1
    assert store.rejections()[0].reason == f"cannot fetch: robots.txt of {srv.base} disallows it"
    # robots.txt asked 7 s between requests: the page after the feed waited for its turn
    assert waits and all(6 < w <= 7 for w in waits)


# -- kills and restarts ---------------------------------------------------------------------------------

class BreaksAfter:
    """An engine that codes ``n`` documents and then dies mid-poll (as a killed process would stop)."""

    name = "breaking"

    def __init__(self, inner: InlineEngine, n: int) -> None:
        self.inner, self.n = inner, n

    def code(self, documents: Iterable[Document]) -> Iterator[DocumentResult | Rejection]:
        for k, result in enumerate(self.inner.code(documents)):
            if k == self.n:
                raise SystemExit("killed")
            yield result


def test_a_poll_broken_off_resumes_without_loss_duplicates_or_fetching_again(
    settings: Settings, store: Store, engine: Any, srv: FeedServer,
) -> None:
    publish(srv, range(12))
    store.add_feed(srv.url("/feed.xml"))
    for n in (3, 0, 4):
        with pytest.raises(SystemExit):
            poll(settings, store, BreaksAfter(engine, n))
    [line] = poll(settings, store, engine)
    assert rows(store, "SELECT count(*), count(DISTINCT id) FROM documents") == [(12, 12)]
    assert rows(store, "SELECT status, count(*) FROM feed_items GROUP BY status") == [("stored", 12)]
    assert rows(store, "SELECT count(*) FROM feed_items WHERE body IS NOT NULL") == [(0,)]
    assert rows(store, "SELECT count(*) FROM feed_items") == [(12,)]
    assert sum(srv.hits[f"/p/{i}"] for i in range(12)) <= 12 + 3  # a page is fetched again only when
    # the poll broke between fetching it and keeping it (at most once per break)
    assert rows(store, "SELECT status FROM runs ORDER BY id") == [("failed",)] * 3 + [("finished",)]
    assert line.endswith("; 12 items seen in all")



@pytest.mark.parametrize(("host", "local"), [
    ("127.0.0.1", True), ("10.2.3.4", True), ("192.168.1.9", True), ("169.254.169.254", True),
    ("100.64.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("93.184.216.34", False), ("2606:4700:4700::1111", False),
])
def test_non_public_hosts_are_known(host: str, local: bool) -> None:
    assert non_public_host(host) is local


def test_a_public_feed_cannot_send_the_watch_into_the_local_network(
    settings: Settings, store: Store, engine: Any, srv: FeedServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 127.0.0.1 stands for a public feed host here (nothing public can run in a test); "localhost"
    # stays what it is
    monkeypatch.setattr(watch_http, "non_public_host", lambda host: host == "localhost")
    inside = srv.url("/p/2").replace("127.0.0.1", "localhost")
    srv.route("/p/1", page_html(1))
    srv.route("/p/2", page_html(2))
    srv.route("/p/3", status=302, headers={"Location": inside})  # a public page redirecting inside
    srv.route("/feed.xml", rss([(srv.url("/p/1"), "Public page", item_time(1)),
                                (inside, "Internal page", item_time(2)),
                                (srv.url("/p/3"), "Redirect", item_time(3))]))
    store.add_feed(srv.url("/feed.xml"))
    [line] = poll(settings, store, engine)
    assert ": 3 new items, 1 stored, 2 failed;" in line
    assert srv.hits["/p/2"] == 0 and srv.hits["/p/1"] == 1
    reasons = {r.reason for r in store.rejections()}
    assert reasons == {"cannot fetch: refused: localhost is not a public address, and the feed that links to "
                       "it is public"}
    # a feed the user added on the local network is trusted, and so are its items
    local_feed = srv.url("/feed.xml").replace("127.0.0.1", "localhost")
    fetcher = watch_http.Fetcher(settings)
    try:
        assert fetcher.get(inside, local_ok=fetcher.is_local(local_feed)).status == 200
    finally:
        fetcher.close()

# -- folders --------------------------------------------------------------------------------------------

def test_a_watched_folder_codes_new_and_changed_files_once(
    settings: Settings, store: Store, engine: Any, tmp_path: Path,
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.txt").write_text("Gunmen attacked a village near Gao on Monday, officials said.\n")
    (drop / "README.md").write_text("not news")
    (drop / "bad.txt").write_bytes(b"\x00\x01binary")
    folder = store.add_feed(str(drop), "folder")
    [line] = poll(settings, store, engine)
    assert line == (f"folder {drop}: 2 new files, 1 stored, 1 failed; 2 files seen in all "
                    f"(last failure {drop / 'bad.txt'}: binary file, not text; eventlens reads UTF-8 text in "
                    ".txt, .html, .htm and .jsonl files)")
    assert poll(settings, store, engine) == [f"folder {drop}: 0 new files; 2 files seen in all"]
    (drop / "b.txt").write_text("Police fired tear gas at protesters in Basra on Tuesday.\n")
    (drop / "a.txt").write_text("Gunmen attacked a village near Gao on Monday, officials said. Updated.\n")
    assert poll(settings, store, engine)[0].startswith(f"folder {drop}: 2 new files, 2 stored")
    assert rows(store, "SELECT count(*) FROM documents") == [(3,)]
    assert store.feeds()[0].id == folder.id


# -- feed lists, durations, URLs ----------------------------------------------------------------------------

def test_feed_lists_plain_and_opml(tmp_path: Path) -> None:
    plain = tmp_path / "feeds.txt"
    plain.write_text("# wires\nhttps://a.test/rss\n\nhttps://b.test/atom.xml\nhttps://a.test/rss\n")
    assert read_feed_list(plain) == ["https://a.test/rss", "https://b.test/atom.xml"]
    plain.write_text("https://a.test/rss\nftp://b.test/x\n")
    with pytest.raises(ConfigError, match=r"feeds.txt:2: 'ftp://b.test/x' is not an http\(s\) feed URL"):
        read_feed_list(plain)
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="news">'
                    '<outline type="rss" xmlUrl="https://a.test/rss"/><outline xmlUrl="http://c.test/f"/>'
                    "</outline></body></opml>")
    assert read_feed_list(opml) == ["https://a.test/rss", "http://c.test/f"]
    opml.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<opml><body><outline xmlUrl="https://a.test/&b;"/></body></opml>')
    with pytest.raises(ConfigError, match="not a usable OPML file"):
        read_feed_list(opml)  # entities are never expanded


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("90s", 90), ("2d", 172800),
                                               ("45", 45), ("0.5s", 0.5)])
def test_every_takes_durations(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "15x", "m15", "0", "-5m", "15m junk"])
def test_every_refuses_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(text)


def test_item_urls_are_normalised() -> None:
    assert normalise_url("HTTPS://News.Test:443/a/b?id=3&utm_source=rss&fbclid=x#c") == "https://news.test/a/b?id=3"
    assert normalise_url("http://news.test:8080") == "http://news.test:8080/"


# -- adapters -------------------------------------------------------------------------------------------

def test_api_lists_feeds_and_filters_events_new_since(
    settings: Settings, store: Store, engine: Any, srv: FeedServer, tmp_path: Path,
) -> None:
    from fastapi.testclient import TestClient

    from eventlens.api import create_app

    publish(srv, range(4))
    store.add_feed(srv.url("/feed.xml"))
    poll(settings, store, engine)
    before = store.stats().events
    cut = datetime.now(UTC)
    publish(srv, range(12))
    poll(settings, store, engine)
    after = store.stats().events
    assert after > before
    url = store.engine.url.render_as_string(hide_password=False)
    app_settings = Settings.load(Path("no-such.toml"), database_url=url)
    with TestClient(create_app(app_settings)) as client:
        [feed] = client.get("/api/feeds").json()
        assert (feed["url"], feed["items_seen"], feed["stored"], feed["title"]) == (
            srv.url("/feed.xml"), 12, 12, "Test Wire")
        assert client.get("/api/events").json()["count"] == after
        new = client.get("/api/events", params={"new_since": cut.isoformat()}).json()
        assert new["count"] == after - before
        naive = (cut - timedelta(hours=1)).replace(tzinfo=None).isoformat()
        assert client.get("/api/events", params={"new_since": naive}).json()["count"] == after
        assert client.get("/api/events", params={"new_since": "yesterday"}).status_code == 422
        page = client.get("/").text
        assert 'name="new_since"' in page
    from typer.testing import CliRunner

    from eventlens.cli import app

    out = CliRunner().invoke(app, ["events", "--json", "--url", url, "--new-since", cut.isoformat()])
    assert out.exit_code == 0 and len(out.output.splitlines()) == after - before


def test_cli_feeds_add_list_remove(tmp_path: Path, srv: FeedServer) -> None:
    from typer.testing import CliRunner

    from eventlens.cli import app

    db = str(tmp_path / "cli.db")
    drop = tmp_path / "drop"
    drop.mkdir()
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{srv.url('/a.xml')}\n{srv.url('/b.xml')}\n")
    runner = CliRunner()
    out = runner.invoke(app, ["feeds", "add", srv.url("/c.xml"), str(drop), "--from", str(listing),
                              "--db", db])
    assert out.exit_code == 0, out.output
    assert out.output.count("following") == 4
    assert runner.invoke(app, ["feeds", "remove", srv.url("/b.xml"), "--db", db]).exit_code == 0
    out = runner.invoke(app, ["feeds", "list", "--json", "--db", db])
    urls = [json.loads(line)["url"] for line in out.output.splitlines()]
    assert urls == [srv.url("/c.xml"), str(drop), srv.url("/a.xml")]
    bad = runner.invoke(app, ["feeds", "add", "not-a-url", "--db", db])
    assert bad.exit_code == 2 and "neither an http(s) URL nor an existing folder" in bad.output
    assert runner.invoke(app, ["feeds", "remove", srv.url("/b.xml"), "--db", db]).exit_code == 1
    bad = runner.invoke(app, ["watch", "--every", "soon", "--db", db])
    assert bad.exit_code == 2 and "'soon' is not a duration" in bad.output
    # a watch where nothing answers: one status line per feed, exit code 3, nothing stops it
    out = runner.invoke(app, ["watch", "--once", "--db", db, "--workers", "0", "--fetch-timeout", "1"])
    assert out.exit_code == 3, out.output
    assert out.output.splitlines() == [
        f"feed {srv.url('/c.xml')}: error: HTTP 404 Not Found; 0 items seen in all",
        f"folder {drop}: 0 new files; 0 files seen in all",
        f"feed {srv.url('/a.xml')}: error: HTTP 404 Not Found; 0 items seen in all",
    ]
