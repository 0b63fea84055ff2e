"""HTTP API over a real database (SQLite file; PostgreSQL too when EVENTLENS_TEST_PG_URL is set)."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from eventlens.api import create_app
from eventlens.api.synthetic import SyntheticReport, generate_reports
from eventlens.auth import create_token, create_user
from eventlens.config import Settings
from eventlens.model import Event, EventMention, Span, content_id
from eventlens.store import open_store
from eventlens.store.schema import events as events_table

N_REPORTS = 240


@dataclass
class Env:
    url: str
    client: TestClient
    viewer: str
    reviewer: str
    admin: str


def _hostile_report() -> SyntheticReport:
    """A report whose text tries to inject markup and SQL into the dashboard."""
    base = next(iter(generate_reports(1, seed=99)))
    text = ("<script>alert('x')</script> Gunmen shot dead 2 people in Basra'; DROP TABLE events;-- "
            "on Friday. <img src=x onerror=alert(1)> Police said.")
    doc = replace(base.document, id=content_id("d", text), text=text, url="javascript:alert(1)")
    art = replace(base.article, id=f"{doc.id}-a0", doc_id=doc.id, text=text, url="javascript:alert(1)")
    start = text.index("Gunmen")
    end = text.index("-- ") + 2
    ev0 = base.events[0]
    m = EventMention(id=f"{art.id}-m0", doc_id=doc.id, article_id=art.id, sentence_index=0,
                     evidence=Span(text[start:end], start, end), coding=ev0.coding)
    return SyntheticReport(doc, art, (Event(id=content_id("e", m.id), coding=ev0.coding, mentions=(m,)),))


def _populate(url: str) -> None:
    store = open_store(url)
    try:
        for r in [*generate_reports(N_REPORTS, seed=5), _hostile_report()]:
            store.write_document(r.document, [r.article], list(r.events))
    finally:
        store.close()


def _pg_database() -> Iterator[str]:
    base = os.environ.get("EVENTLENS_TEST_PG_URL")
    if not base:
        pytest.skip("EVENTLENS_TEST_PG_URL is not set")
    name = f"eventlens_api_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    if request.param == "sqlite":
        db = tmp_path_factory.mktemp("api") / "events.db"
        urls: Iterator[str] = iter([f"sqlite:///{db}"])
    else:
        urls = _pg_database()
    url = next(urls)
    _populate(url)
    create_user(url, "vera", "viewer", "viewer-pass-1")
    create_user(url, "rui", "reviewer", "reviewer-pass-1")
    create_user(url, "ada", "admin", "admin-pass-1")
    tokens = [create_token(url, name) for name in ("vera", "rui", "ada")]
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield Env(url, client, *tokens)
    for _ in urls:  # drop the PostgreSQL database
        pass


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _all_pages(client: TestClient, params: dict[str, str], limit: int = 37) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        q = {**params, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/events", params=q).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


# ------------------------------------------------------------------ reads


@pytest.mark.slow  # exhaustive: runs in make test, kept out of make test-fast
def test_pagination_covers_every_event_once_in_order(env: Env) -> None:
    first = env.client.get("/api/events", params={"limit": 10}).json()
    items = _all_pages(env.client, {})
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == first["count"]
    keys = [(i["event_date"] or "", i["id"]) for i in items]
    assert keys == sorted(keys, reverse=True)


def test_cursor_pages_are_stable_while_events_arrive(env: Env) -> None:
    page1 = env.client.get("/api/events", params={"limit": 20, "country": "Iraq"}).json()
    newer = next(iter(generate_reports(1, seed=1234, start=date(2030, 1, 1), days=1)))
    store = open_store(env.url)
    try:
        store.write_document(newer.document, [newer.article], list(newer.events))
    finally:
        store.close()
    page2 = env.client.get("/api/events", params={"limit": 20, "country": "Iraq",
                                                   "cursor": page1["next_cursor"]}).json()
    again = env.client.get("/api/events", params={"limit": 20, "country": "Iraq",
                                                   "cursor": page1["next_cursor"]}).json()
    assert page2 == again
    assert not {i["id"] for i in page1["items"]} & {i["id"] for i in page2["items"]}
    assert page2["items"][0]["event_date"] <= page1["items"][-1]["event_date"]


@pytest.mark.parametrize(("param", "value", "field"), [
    ("country", "Iraq", "country"), ("admin1", "Borno", "admin1"), ("location", "Goma", "location"),
    ("event_type", "Protests", "event_type"), ("sub_event_type", "Armed clash", "sub_event_type"),
    ("geo_precision", "3", "geo_precision"),
])
def test_equality_filters(env: Env, param: str, value: str, field: str) -> None:
    items = _all_pages(env.client, {param: value}, limit=200)
    assert items
    assert all(str(i[field]) == value for i in items)


def test_range_bbox_actor_inter_and_text_filters(env: Env) -> None:
    c = env.client
    items = _all_pages(c, {"date_from": "2021-01-01", "date_to": "2021-06-30", "min_fatalities": "3",
                           "max_fatalities": "7"}, limit=200)
    assert items and all("2021-01-01" <= str(i["event_date"]) <= "2021-06-30" for i in items)
    assert all(3 <= int(str(i["fatalities"])) <= 7 for i in items)
    boxed = _all_pages(c, {"bbox": "40,25,50,40"}, limit=200)
    assert boxed and all(40 <= float(str(i["longitude"])) <= 50 for i in boxed)
    police = _all_pages(c, {"actor": "police forces"}, limit=200)
    assert police and all("Police" in f"{i['actor1']} {i['actor2']}" for i in police)
    civ = _all_pages(c, {"inter": "7"}, limit=200)
    assert civ and all(i["actor2"] and "Civilians" in str(i["actor2"]) for i in civ)
    gas = _all_pages(c, {"q": "TEAR GAS"}, limit=200)
    assert gas and all(i["sub_event_type"] == "Protest with intervention" for i in gas)
    src = _all_pages(c, {"source": "Daily Monitor"}, limit=200)
    assert 0 < len(src) < len(_all_pages(c, {}, limit=500))


SQLI = ["' OR '1'='1", "Iraq'; DROP TABLE events;--", "%", "_", "\\", '" OR 1=1 --',
        "x' UNION SELECT * FROM users--"]


@pytest.mark.parametrize("value", SQLI)
def test_sql_metacharacters_are_harmless_in_every_filter(env: Env, value: str) -> None:
    total = env.client.get("/api/events").json()["count"]
    for param in ("country", "admin1", "location", "event_type", "sub_event_type", "actor", "source", "q"):
        resp = env.client.get("/api/events", params={param: value})
        assert resp.status_code == 200, (param, resp.text)
        assert resp.json()["count"] == 0 or param == "q", (param, value)
    for param in ("date_from", "inter", "min_fatalities", "geo_precision", "bbox", "cursor"):
        assert env.client.get("/api/events", params={param: value}).status_code in (400, 422)
    assert env.client.get("/api/events").json()["count"] == total


def test_free_text_with_percent_matches_literally(env: Env) -> None:
    assert env.client.get("/api/events", params={"q": "%"}).json()["items"] == []
    assert env.client.get("/api/events", params={"q": "100%"}).json()["items"] == []
    assert env.client.get("/api/events", params={"q": "DROP TABLE events"}).json()["count"] == 1


FTS_SYNTAX = ['"', '""', '"tear" OR "gas"', "tear OR gas", "NEAR(tear gas)", "tear*", "^Police",
              "evidence_text:gas", "AND", "(gas", "gas)", "te'ar", "-gas", "{evidence_text}: gas"]
TEXTS = ["tear gas", "TEAR GAS", "ear ga", "Police fired", "shot dead", "zz no such text", "ga", "a",
         "Gunmen shot dead 2 people in Basra'; DROP", "%", "_", "\\", *FTS_SYNTAX]


def _expected_text_ids(url: str, text: str) -> list[str]:
    """Ids of events with a mention containing ``text`` (Python's casefold-free ASCII lower), newest first."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT e.id, e.date_key, m.evidence_text FROM events e "
                                    "JOIN mentions m ON m.event_id = e.id")).all()
    engine.dispose()
    hits = {(r.date_key, r.id) for r in rows if text.lower() in r.evidence_text.lower()}
    return [i for _, i in sorted(hits, reverse=True)]


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["index", "walk", "mixed"])
def test_free_text_matches_substrings_exactly_in_both_plans(env: Env, plan: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Rare texts are read through the text index, common ones by walking events; same rows, same
    order, same cursors — and FTS operators, quotes and LIKE wildcards are plain characters."""
    if plan != "index":  # "mixed": texts on both sides of the threshold
        monkeypatch.setattr("eventlens.store.text.RARE_TEXT", 0 if plan == "walk" else 5)
    for text in TEXTS:
        got = [str(i["id"]) for i in _all_pages(env.client, {"q": text}, limit=23)]
        assert got == _expected_text_ids(env.url, text), text
        page = env.client.get("/api/events", params={"q": text, "country": "Iraq"})
        assert page.status_code == 200, (text, page.text)
        if plan == "index" and len(text) >= 3:
            assert page.json()["count"] is not None, text
    agg = env.client.get("/api/aggregates", params={"q": "tear gas", "by": "month"}).json()
    assert sum(p["events"] for p in agg["periods"]) == len(_expected_text_ids(env.url, "tear gas"))


def test_event_detail_has_mentions_evidence_article_and_sources(env: Env) -> None:
    eid = env.client.get("/api/events", params={"limit": 1}).json()["items"][0]["id"]
    d = env.client.get(f"/api/events/{eid}").json()
    mention = d["event"]["mentions"][0]
    art = d["articles"][0]
    ev = mention["evidence"]
    assert art["text"][ev["start"]:ev["end"]] == ev["text"]
    assert [s["text"] for s in art["segments"] if s["mark"]] == [ev["text"]]
    assert d["sources"][0]["doc_id"] == mention["doc_id"]
    assert env.client.get(f"/api/documents/{mention['doc_id']}").json()["id"] == mention["doc_id"]
    assert env.client.get(f"/api/articles/{mention['article_id']}").json()["text"] == art["text"]
    assert [e["mention_id"] for e in d["input_evidence"]] == [m["id"] for m in d["event"]["mentions"]]
    for found in d["input_evidence"]:  # offsets into the document as supplied
        text = env.client.get(f"/api/documents/{found['doc_id']}").json()["text"]
        assert text[found["start"]:found["end"]] == found["text"]
    assert env.client.get("/api/events/nope").status_code == 404
    assert env.client.get("/api/documents/nope").status_code == 404


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_period_aggregates_add_up(env: Env, by: str) -> None:
    agg = env.client.get("/api/aggregates", params={"by": by, "country": "Syria"}).json()
    items = _all_pages(env.client, {"country": "Syria"}, limit=500)
    assert sum(p["events"] for p in agg["periods"]) == len(items)
    assert sum(p["fatalities"] for p in agg["periods"]) == sum(int(str(i["fatalities"] or 0)) for i in items)
    periods = [p["period"] for p in agg["periods"]]
    assert periods == sorted(periods)


def test_admin1_aggregates(env: Env) -> None:
    regions = env.client.get("/api/aggregates", params={"by": "admin1"}).json()["regions"]
    assert regions[0]["events"] >= regions[-1]["events"]
    assert {r["country"] for r in regions} >= {"Iraq", "Syria"}
    assert env.client.get("/api/aggregates", params={"by": "year"}).status_code == 422


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_export_formats(env: Env, fmt: str) -> None:
    resp = env.client.get("/api/export", params={"format": fmt, "country": "Iraq"})
    assert resp.status_code == 200
    n = env.client.get("/api/events", params={"country": "Iraq"}).json()["count"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(resp.text)))
        assert len(rows) == n and all(r["country"] == "Iraq" for r in rows)
        assert all(r["source"] for r in rows)
        assert all(r["event_id_cnty"].startswith("IRQ") and r["event_id_cnty"][3:].isdigit() for r in rows)
        assert all(r["region"] == "Middle East" and r["timestamp"].isdigit() for r in rows)
    elif fmt == "jsonl":
        assert len(resp.text.splitlines()) == n
    elif fmt == "geojson":
        assert len(json.loads(resp.text)["features"]) == n
    else:
        assert pq.read_table(io.BytesIO(resp.content)).num_rows == n


def test_docs_and_openapi_are_served_offline(env: Env) -> None:
    spec = env.client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"]
    page = env.client.get("/docs").text
    assert "cdn" not in page.lower() and "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static/vendor/swagger-ui/{asset}" in page
        assert env.client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200
    dash = env.client.get("/").text
    assert "https://" not in dash and "http://" not in dash


# ------------------------------------------------------------------ auth and review


def _first_id(env: Env, **params: str) -> str:
    return str(env.client.get("/api/events", params={"limit": 1, **params}).json()["items"][0]["id"])


def test_writes_need_a_token_and_the_reviewer_role(env: Env) -> None:
    eid = _first_id(env, country="Mali")
    c = env.client
    assert c.post(f"/api/events/{eid}/confirm").status_code == 401
    assert c.post(f"/api/events/{eid}/confirm", headers=_auth("elt_forged")).status_code == 401
    assert c.post(f"/api/events/{eid}/confirm", headers=_auth(env.viewer)).status_code == 403
    assert c.patch(f"/api/events/{eid}", json={"changes": {"fatalities": 1}},
                   headers=_auth(env.viewer)).status_code == 403
    assert c.post("/api/events/merge", json={"event_ids": [eid, eid + "x"]}).status_code == 401
    assert c.post(f"/api/events/{eid}/split", json={"mention_ids": ["m"]},
                  headers=_auth(env.viewer)).status_code == 403
    assert c.get(f"/api/events/{eid}").json()["review_status"] == "auto"
    ok = c.post(f"/api/events/{eid}/confirm", headers=_auth(env.reviewer))
    assert ok.status_code == 200
    assert c.get(f"/api/events/{eid}").json()["review_status"] == "confirmed"
    assert c.get("/api/me", headers=_auth(env.admin)).json() == {"name": "ada", "role": "admin"}


def test_edits_are_overrides_that_survive_reprocessing(env: Env) -> None:
    eid = _first_id(env, country="Somalia")
    resp = env.client.patch(f"/api/events/{eid}", headers=_auth(env.reviewer), json={
        "changes": {"sub_event_type": "Suicide bomb", "fatalities": 41, "event_date": "2022-02-02"},
        "note": "checked against a second report"})
    assert resp.status_code == 200, resp.text
    # The pipeline re-writes the event row (as a re-run would): overrides still win on read.
    engine = sa.create_engine(env.url)
    with engine.begin() as conn:
        conn.execute(events_table.update().where(events_table.c.id == eid)
                     .values(sub_event_type="Attack", event_type="Violence against civilians", fatalities=3))
    engine.dispose()
    d = env.client.get(f"/api/events/{eid}").json()
    assert d["event"]["coding"]["sub_event_type"] == "Suicide bomb"
    assert d["event"]["coding"]["event_type"] == "Explosions/Remote violence"
    assert d["event"]["coding"]["fatalities"] == 41
    assert d["review_status"] == "edited"
    history = d["history"][0]
    assert history["who"] == "rui" and history["action"] == "edit"
    assert history["after"]["fatalities"] == 41 and history["before"]["fatalities"] != 41
    listed = env.client.get("/api/events", params={"country": "Somalia", "limit": 500}).json()["items"]
    assert next(i for i in listed if i["id"] == eid)["fatalities"] == 41
    csv_text = env.client.get("/api/export", params={"format": "csv", "country": "Somalia"}).text
    rows = csv.DictReader(io.StringIO(csv_text))
    assert any(r["event_id"] == eid and r["fatalities"] == "41" for r in rows)


@pytest.mark.parametrize(("changes", "words"), [
    ({"sub_event_type": "Picnic"}, ["sub_event_type", "Picnic", "Armed clash", "codebook"]),
    ({"id": "x"}, ["cannot be edited"]),
    ({"fatalities": "many"}, ["fatalities", "whole number"]),
    ({"fatalities": -5}, ["fatalities", "-5", "0 or more"]),
    ({"fatalities": 2.5}, ["fatalities", "whole number"]),
    ({"injuries": -1}, ["injuries"]),
    ({"latitude": 500}, ["latitude", "-90 to 90"]),
    ({"longitude": -180.5}, ["longitude", "-180 to 180"]),
    ({"latitude": "nan"}, ["latitude", "finite"]),
    ({"inter1": 0}, ["inter1", "1-8"]),
    ({"inter2": 9}, ["inter2"]),
    ({"time_precision": 4}, ["time_precision"]),
    ({"geo_precision": 0}, ["geo_precision"]),
    ({"event_date": "2099-01-01"}, ["event_date", "plausible"]),
    ({"event_date": "1850-06-01"}, ["event_date"]),
    ({"event_date": "yesterday"}, ["event_date", "YYYY-MM-DD"]),
    ({"event_type": "Picnics"}, ["event_type", "Battles"]),
    # the event's sub-type is a battle's: another event_type needs a sub-type of its own
    ({"event_type": "Protests"}, ["event_type", "Peaceful protest", "Armed clash"]),
    ({"sub_event_type": "Attack", "event_type": "Battles"}, ["belongs to"]),
    ({"sub_event_type": None}, ["sub_event_type"]),
    ({"plover_event": "PICNIC"}, ["plover_event", "ASSAULT"]),
    ({"iso3": "XYZ"}, ["iso3", "alpha-3"]),
    ({"country": "Ukrain"}, ["country", "Ukrain", "did you mean Ukraine"]),
    ({"country": "Narnia"}, ["country", "Narnia", "not a country"]),
    ({"country": "Syria", "iso3": "UKR"}, ["iso3", "SYR"]),
    ({"review_status": "great"}, ["review_status"]),
    ({"actor1": "x" * 300}, ["actor1", "200"]),
])
def test_invalid_edits_are_422_naming_the_field(env: Env, changes: dict[str, object],
                                                words: list[str]) -> None:
    eid = _first_id(env, country="Ukraine", sub_event_type="Armed clash")
    before = env.client.get(f"/api/events/{eid}").json()
    resp = env.client.patch(f"/api/events/{eid}", json={"changes": changes}, headers=_auth(env.reviewer))
    assert resp.status_code == 422, resp.text
    for word in words:
        assert word in resp.json()["detail"]
    assert env.client.get(f"/api/events/{eid}").json() == before  # nothing changed, nothing audited


def test_valid_edits_at_the_edges_are_accepted_and_missing_events_are_404(env: Env) -> None:
    eid = _first_id(env, country="Ukraine")
    h = _auth(env.reviewer)
    resp = env.client.patch(f"/api/events/{eid}", headers=h, json={"changes": {
        "fatalities": 0, "latitude": -90, "longitude": 180, "inter2": 0, "iso3": "ukr", "geo_precision": 3,
        "plover_event": "ASSAULT", "event_date": "1900-01-01", "actor1": "  Rioters (Ukraine)  "}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["changes"]["iso3"] == "UKR" and resp.json()["changes"]["actor1"] == "Rioters (Ukraine)"
    assert env.client.patch("/api/events/missing", json={"changes": {"fatalities": 1}},
                            headers=h).status_code == 404
    # a country by name or alias is stored as eventlens writes it, and its ISO code follows
    moved = env.client.patch(f"/api/events/{eid}", headers=h, json={"changes": {"country": "the DRC"}})
    assert moved.status_code == 200, moved.text
    assert moved.json()["changes"] == {"country": "Democratic Republic of Congo", "iso3": "COD"}
    back = env.client.patch(f"/api/events/{eid}", headers=h, json={"changes": {"country": "ukraine"}})
    assert back.json()["changes"] == {"country": "Ukraine", "iso3": "UKR"}


def test_merge_split_and_conflict_queue(env: Env) -> None:
    c, h = env.client, _auth(env.reviewer)
    items = c.get("/api/events", params={"country": "Sudan", "limit": 3}).json()["items"]
    a, b = items[0]["id"], items[1]["id"]
    merged = c.post("/api/events/merge", json={"event_ids": [a, b], "note": "same attack"}, headers=h)
    assert merged.status_code == 200, merged.text
    assert c.get(f"/api/events/{b}").status_code == 404
    d = c.get(f"/api/events/{a}").json()
    assert len(d["event"]["mentions"]) == 2
    queue = c.get("/api/review/queue", params={"limit": 500}).json()
    if items[0]["sub_event_type"] != items[1]["sub_event_type"]:
        assert queue[0]["event"]["id"] == a and "sub_event_type" in " ".join(queue[0]["reasons"])
    assert all(q["event"]["review_status"] not in ("confirmed", "edited") for q in queue)
    moved = d["event"]["mentions"][1]["id"]
    split = c.post(f"/api/events/{a}/split", json={"mention_ids": [moved]}, headers=h)
    assert split.status_code == 200
    assert len(c.get(f"/api/events/{a}").json()["event"]["mentions"]) == 1
    actions = [e["action"] for e in c.get("/api/review/audit").json()]
    assert {"merge", "split"} <= set(actions)


def test_read_token_setting(env: Env) -> None:
    with TestClient(create_app(Settings(database_url=env.url), read_requires_token=True)) as locked:
        assert locked.get("/api/events").status_code == 401
        assert locked.get("/api/events", headers=_auth(env.viewer)).status_code == 200


def test_session_login_and_csrf(env: Env) -> None:
    eid = _first_id(env, country="Pakistan")
    with TestClient(create_app(Settings(database_url=env.url))) as browser:
        form = browser.get("/login").text
        token = form.split('name="login_csrf" value="')[1].split('"')[0]
        bad = browser.post("/login", data={"username": "rui", "password": "nope", "login_csrf": token})
        assert bad.status_code == 401
        assert browser.post("/login", data={"username": "rui", "password": "reviewer-pass-1",
                                            "login_csrf": "forged"}).status_code == 403
        creds = {"username": "rui", "password": "reviewer-pass-1", "login_csrf": token}
        ok = browser.post("/login", data=creds, follow_redirects=False)
        assert ok.status_code == 303 and "samesite=strict" in ok.headers["set-cookie"].lower()
        page = browser.get(f"/events/{eid}").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        assert browser.post(f"/review/{eid}/confirm", data={}).status_code == 403
        assert browser.post(f"/api/events/{eid}/confirm").status_code == 403
        done = browser.post(f"/review/{eid}/confirm", data={"csrf_token": csrf}, follow_redirects=False)
        assert done.status_code == 303
        assert browser.get(f"/api/events/{eid}").json()["review_status"] == "confirmed"


def test_article_text_is_escaped_on_the_event_page(env: Env) -> None:
    eid = str(env.client.get("/api/events", params={"q": "DROP TABLE"}).json()["items"][0]["id"])
    page = env.client.get(f"/events/{eid}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<mark" in page and "DROP TABLE events;--</mark>" in page
    assert 'href="javascript:' not in page


def test_the_event_page_history_reads_field_by_field(env: Env) -> None:
    eid = _first_id(env, country="Ukraine")
    h = _auth(env.reviewer)
    body = {"changes": {"fatalities": 41, "country": "Poland"}, "note": "per the ministry"}
    resp = env.client.patch(f"/api/events/{eid}", headers=h, json=body)
    assert resp.status_code == 200, resp.text
    page = env.client.get(f"/events/{eid}", headers=h).text
    assert '<datalist id="country-options">' in page and '<option value="Poland">' in page  # the pick-list
    history = page.split("<h2>History</h2>")[1]
    assert "<code>fatalities</code>: " in history and " → 41</li>" in history
    assert "<code>country</code>: Ukraine → Poland" in history and "<code>iso3</code>: UKR → POL" in history
    assert "per the ministry" in history and "{&#34;" not in history  # no raw JSON
    back = env.client.patch(f"/api/events/{eid}", headers=h, json={"changes": {"country": "UKR"}})
    assert back.json()["changes"] == {"country": "Ukraine", "iso3": "UKR"}


def test_review_page_lists_the_queue(env: Env) -> None:
    page = env.client.get("/review")
    assert page.status_code == 200 and 'id="queue"' in page.text


def test_create_user_rejects_bad_roles_and_duplicates(env: Env, tmp_path: Path) -> None:
    from eventlens.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown role"):
        create_user(env.url, "zed", "superuser", "pw")
    with pytest.raises(ConfigError, match="already exists"):
        create_user(env.url, "vera", "viewer", "pw")
    with pytest.raises(ConfigError, match="no user"):
        create_token(env.url, "nobody")


def test_revision_0002_creates_exactly_the_auth_and_review_tables(tmp_path: Path) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from eventlens.store.migrate import alembic_config, current_revision, upgrade
    from eventlens.store.schema import metadata

    # review_audit as 0002 made it is checked by test_store_audit (0008 added event_ids); at head
    # every table is compared by test_store.test_head_creates_exactly_the_declared_tables
    tables = ("users", "api_tokens", "web_sessions", "event_overrides")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        upgrade(conn, "0002_auth_review")
        for table in tables:
            opts = {"compare_type": True,
                    "include_object": lambda _o, name, type_, _r, _c, t=table: type_ != "table" or name == t}
            assert compare_metadata(MigrationContext.configure(conn, opts=opts), metadata) == []
        assert "review_audit" in sa.inspect(conn).get_table_names()
        command.downgrade(alembic_config(conn), "0001_initial")
        conn.commit()
        assert current_revision(conn) == "0001_initial"
        assert "users" not in sa.inspect(conn).get_table_names()
    engine.dispose()


def test_export_from_store_matches_the_api(env: Env) -> None:
    from eventlens.export import export_from_store
    from eventlens.store import EventFilter

    store = open_store(env.url)
    try:
        out = io.BytesIO()
        written = export_from_store(store, "csv", out, EventFilter(country="Mali"))
    finally:
        store.close()
    assert written == len(out.getvalue()) > 0
    api = env.client.get("/api/export", params={"format": "csv", "country": "Mali"}).content

    def rows(data: bytes) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(data.decode())))

    # ``timestamp`` is the moment of export (ACLED's column), so the two may be a second apart
    ours, theirs = rows(out.getvalue()), rows(api)
    assert len(ours) == len(theirs) > 0
    assert all(0 <= int(b.pop("timestamp")) - int(a.pop("timestamp")) <= 60
               for a, b in zip(ours, theirs, strict=True))
    assert ours == theirs


def test_free_text_index_follows_new_writes_and_matches_substrings(env: Env) -> None:
    report = next(iter(generate_reports(1, seed=4321)))
    text = report.article.text + " Witnesses mentioned the Quxbridge convoy."
    doc = replace(report.document, id=content_id("d", text), text=text)
    art = replace(report.article, id=f"{doc.id}-a0", doc_id=doc.id, text=text)
    start = text.index("Witnesses")
    ev = report.events[0]
    m = EventMention(id=f"{art.id}-m0", doc_id=doc.id, article_id=art.id, sentence_index=0,
                     evidence=Span(text[start:], start, len(text)), coding=ev.coding)
    store = open_store(env.url)
    try:
        store.write_document(doc, [art], [Event(id=content_id("e", m.id), coding=ev.coding, mentions=(m,))])
    finally:
        store.close()
    assert env.client.get("/api/events", params={"q": "quxbridge CONVOY"}).json()["count"] == 1
    assert env.client.get("/api/events", params={"q": "uxbrid"}).json()["count"] == 1
    gas = env.client.get("/api/events", params={"q": "ear ga"}).json()["count"]
    assert gas >= env.client.get("/api/events", params={"q": "tear gas"}).json()["count"] > 0


def test_pages_send_browsers_to_login_when_reads_need_a_token(env: Env) -> None:
    with TestClient(create_app(Settings(database_url=env.url), read_requires_token=True)) as locked:
        resp = locked.get("/review", follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"] == "/login?next=/review"
        assert locked.get("/login").status_code == 200


def test_a_cli_merge_and_split_show_in_the_api_audit_and_the_event_history(env: Env) -> None:
    items = env.client.get("/api/events", params={"country": "Somalia", "limit": 2}).json()["items"]
    a, b = items[0]["id"], items[1]["id"]
    store = open_store(env.url)  # what `eventlens merge` and `eventlens split` call
    try:
        kept = store.merge([a, b], "cli-ana", "one attack")
        new = store.split(kept.id, [kept.mentions[-1].id], "cli-ana")
    finally:
        store.close()
    audit = env.client.get("/api/review/audit").json()
    mine = [(e["action"], e["event_id"], e["event_ids"]) for e in audit if e["who"] == "cli-ana"]
    assert mine == [("split", a, [a, new.id]), ("merge", a, [a, b])]  # newest first
    history = env.client.get(f"/api/events/{a}").json()["history"]
    assert [h["action"] for h in history if h["who"] == "cli-ana"] == ["split", "merge"]
    assert history[0]["before"][0]["mention_ids"] == sorted(m.id for m in kept.mentions)
    split_off = env.client.get(f"/api/events/{new.id}").json()["history"]
    assert [h["action"] for h in split_off] == ["split"]
    assert env.client.get("/api/review/audit", params={"event_id": b}).json()[0]["action"] == "merge"
