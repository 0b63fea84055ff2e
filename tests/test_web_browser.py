"""End to end in a real headless Chromium: dashboard, filters, event page, reviewer login, export."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"  # screenshots (gitignored)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: synthetic reports whose events lose their date: the timeline's "N undated events"
UNDATED_REPORTS = 12
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
TYPE_COLORS = {"#c0392b", "#e67e22", "#8e44ad", "#2471a3", "#17a589", "#5d6d7e"}


def _undated(event: Any) -> Any:
    def strip(c: Any) -> Any:
        return replace(c, event_date=None, date_text=None, time_precision=None)

    return replace(event, coding=strip(event.coding),
                   mentions=tuple(replace(m, coding=strip(m.coding)) for m in event.mentions))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, int]]:
    """A server over 400 synthetic reports, the events of 12 of them undated, and one event merged
    from two reports that disagree on place and fatalities; yields (base url, the merged event's
    id, the number of undated events)."""
    import uvicorn

    from eventlens.api import create_app
    from eventlens.api.synthetic import generate_reports
    from eventlens.auth import create_user
    from eventlens.config import Settings
    from eventlens.store import EventFilter, open_store

    db = tmp_path_factory.mktemp("web") / "web.db"
    store = open_store(f"sqlite:///{db}")
    reports = list(generate_reports(400, seed=21))
    for i, r in enumerate(reports):
        evs = [_undated(e) for e in r.events] if i < UNDATED_REPORTS else list(r.events)
        store.write_document(r.document, [r.article], evs)
    # two deadly reports from different towns of one country, merged by an analyst
    def deadly_in_iraq(c: Any) -> bool:
        return c.place is not None and c.place.country == "Iraq" and bool(c.fatalities)

    iraq = [r for r in reports[UNDATED_REPORTS:] if deadly_in_iraq(r.events[0].coding)]
    first, second = next((a, b) for a in iraq for b in iraq
                         if a.events[0].coding.place.location != b.events[0].coding.place.location  # type: ignore[union-attr]
                         and a.events[0].coding.fatalities != b.events[0].coding.fatalities)
    merged = store.merge([first.events[0].id, second.events[0].id], "fixture", "one attack, two reports")
    # undated events that the store linked to a dated incident (same town and toll) are not undated
    n_undated = sum(1 for _ in store.iter_events(EventFilter(undated=True, background=True)))
    store.close()
    create_user(f"sqlite:///{db}", "rui", "reviewer", "reviewer-pass-1")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=str(db))), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    assert n_undated > 0
    yield f"http://127.0.0.1:{port}", merged.id, n_undated
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(served: tuple[str, str, int]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _offline_page(browser: Browser, base_url: str, outside: list[str],
                  viewport: dict[str, int] | None = None) -> Page:
    context = browser.new_context(accept_downloads=True, viewport=viewport or DESKTOP)
    page = context.new_page()

    def guard(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return page


def test_dashboard_filter_event_review_and_export(browser: Browser, base_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector("#map path.leaflet-interactive, #map svg path")
    assert int(page.get_attribute("#map", "data-markers") or 0) > 0
    assert int(page.get_attribute("#timeline", "data-periods") or 0) > 0
    expect(page.locator("#legend")).to_contain_text("region only")
    page.screenshot(path=str(ARTIFACTS / "dashboard-map.png"))
    page.locator("#map").screenshot(path=str(ARTIFACTS / "map.png"))
    # the first view draws the light 1:110m outlines; zooming in swaps in the 1:50m ones
    with page.expect_response(lambda r: r.url.endswith("/countries-50m.json") and r.ok):
        for zoom in (3, 4):
            page.click(".leaflet-control-zoom-in")
            page.wait_for_selector(f"#map[data-zoom='{zoom}']")

    _pick(page, "country", "Iraq")
    _pick(page, "event_type", "Violence against civilians")
    assert "country=Iraq" in page.url and "event_type=Violence" in page.url
    rows = page.locator("#event-table tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        assert "Iraq" in rows.nth(i).locator("td").nth(2).inner_text()

    page.reload()  # filter state lives in the URL
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("details.pick[data-name=country] .pick-value")).to_have_text("Iraq")

    with page.expect_download() as dl:
        page.click("#export-csv")
    data = Path(dl.value.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(data)))
    assert exported and all(r["country"] == "Iraq" for r in exported)
    assert all(r["event_type"] == "Violence against civilians" for r in exported)

    page.locator("#event-table a.event-link").first.click()
    page.wait_for_selector("mark")
    mark = page.locator(".article-text mark").first
    expect(mark).to_be_visible()
    assert mark.inner_text().strip() and mark.inner_text().strip() in page.inner_text(".mentions")
    page.screenshot(path=str(ARTIFACTS / "event-page.png"), full_page=True)
    assert page.locator("#confirm").count() == 0  # anonymous: no review tools
    event_url = page.url

    page.click("#login-link")
    page.fill("input[name=username]", "rui")
    page.fill("input[name=password]", "reviewer-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(event_url)
    expect(page.locator("#whoami")).to_contain_text("rui (reviewer)")
    page.click("#confirm")
    expect(page.locator(".flash")).to_contain_text("Confirmed")
    expect(page.locator("#review-status")).to_have_text("confirmed")

    page.goto(base_url + "/review")
    expect(page.locator("#queue")).to_be_visible()
    assert outside == [], f"the dashboard tried to reach other hosts: {outside}"
    page.context.close()


# ---------------------------------------------------------------- the analyst's dashboard (issue 22)


def _ready(page: Page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)


def _shot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/ (its path printed: pytest -s shows it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def _both_widths(page: Page, name: str) -> None:
    """Screenshots at 1440x900 and at a phone's width, and no sideways overflow on the phone."""
    page.set_viewport_size(DESKTOP)
    _shot(page, f"{name}-1440")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: sideways overflow ({width} px)"
    _shot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def _pick(page: Page, name: str, value: str) -> None:
    """Tick ``value`` in the ``name`` pick-list (opening it) and wait for the dashboard to redraw."""
    box = page.locator(f"details.pick[data-name={name}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    option = box.locator(f'.pick-list input[value="{value}"]')
    option.wait_for(timeout=30_000)
    option.click()  # (not check(): the list is redrawn with new counts as the page refreshes)
    _ready(page)
    box.locator("summary").click()  # close it again


def _count(page: Page) -> int:
    return int(page.inner_text("#count").strip("()").split()[0].replace(",", "").rstrip("+"))


def test_timeline_axis_legend_brush_and_undated(browser: Browser, served: tuple[str, str, int]) -> None:
    base_url, _, n_undated = served
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/")
    _ready(page)
    tl = page.locator("#timeline")
    # four years of events by month: 48 periods, every month drawn (zero-filled), stacked by type
    assert tl.get_attribute("data-by") == "month"
    assert int(tl.get_attribute("data-periods") or 0) == 48
    assert page.locator("#timeline g.period").count() == 48
    types_in_a_bar = page.eval_on_selector_all(
        "#timeline g.period", "gs => Math.max(...gs.map(g => new Set([...g.querySelectorAll('rect.bar')]"
        ".map(r => r.getAttribute('data-type'))).size))")
    assert types_in_a_bar >= 3
    assert page.locator("#timeline text.tick-events").count() == 5  # a scale for events...
    assert page.locator("#timeline text.tick-fatal").count() == 5  # ...and one for fatalities
    assert page.locator("#timeline text.tick-time").count() >= 5
    expect(page.locator("#timeline-legend")).to_contain_text("fatalities (right axis)")
    expect(page.locator("#timeline-legend")).to_contain_text("Battles")

    undated = page.locator("#undated")
    expect(undated).to_have_text(f"{n_undated} undated events")
    undated.click()
    _ready(page)
    assert "undated=true" in page.url
    assert _count(page) == n_undated
    dates = page.locator("#event-table tbody tr td:first-child").all_inner_texts()
    assert dates and set(dates) == {"undated"}
    _shot(page, "timeline-undated-1440")
    undated.click()
    _ready(page)
    assert "undated" not in page.url

    hit = page.locator("#timeline svg rect.hit").bounding_box()
    assert hit is not None
    y = hit["y"] + hit["height"] / 2
    page.mouse.move(hit["x"] + hit["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(hit["x"] + hit["width"] * 0.34, y, steps=4)
    page.mouse.up()
    _ready(page)
    assert "date_from=" in page.url and "date_to=" in page.url
    assert tl.get_attribute("data-by") in ("day", "week")  # a shorter range: a finer grain
    expect(page.locator("#bd-period")).to_contain_text("previous period")
    expect(page.locator("#clear-range")).to_be_visible()
    _both_widths(page, "timeline-brushed")
    assert outside == []
    page.context.close()


def test_map_type_colours_legend_fit_basemap_and_popups(browser: Browser, base_url: str) -> None:
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/")
    _ready(page)
    assert int(page.get_attribute("#map", "data-markers") or 0) > 0
    assert page.locator("#type-legend .legend-item").count() >= 4
    _pick(page, "country", "Iraq")
    fitted = page.get_attribute("#map", "data-fitted") or ""
    west, south, east, north = (float(x) for x in fitted.split(","))
    assert 30 < west < east < 60 and 22 < south < north < 45, "the map fits Iraq's events, not the world"
    page.wait_for_selector("#map[data-admin1='1']")  # zoomed in: admin1 boundaries drawn
    assert int(page.get_attribute("#map", "data-labels") or 0) > 0  # and place labels
    while int(page.get_attribute("#map", "data-zoom") or 0) < 7:  # from zoom 7 every event is drawn
        zoom = int(page.get_attribute("#map", "data-zoom") or 0)
        page.click(".leaflet-control-zoom-in")
        page.wait_for_selector(f"#map[data-zoom='{zoom + 1}']")
    page.wait_for_selector("#map path.event-marker")
    fills = page.eval_on_selector_all("#map path.event-marker", "ps => ps.map(p => p.getAttribute('fill'))")
    strokes = page.eval_on_selector_all("#map path.event-marker.p2",
                                        "ps => ps.map(p => p.getAttribute('stroke'))")
    colours = {c for c in fills if c != "#fff"} | set(strokes)
    assert colours and colours <= TYPE_COLORS and len(colours) >= 2
    markers = page.locator("#map path.event-marker")
    for i in range(min(markers.count(), 8)):  # a marker may lie under another: click until one opens
        markers.nth(i).click(force=True)
        if page.locator(".leaflet-popup-content").count():
            break
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Actors:")
    _both_widths(page, "map-iraq")
    assert outside == []
    page.context.close()


def test_first_view_asks_for_its_preloaded_data_once(browser: Browser, base_url: str) -> None:
    """The unfiltered page names its first requests as preloads; the scripts must then ask for
    exactly those (a spelling that drifts would fetch twice and waste the preload)."""
    from eventlens.api.web import FIRST_VIEW_DATA

    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/")
    _ready(page)
    preloads = page.eval_on_selector_all("link[rel=preload]", "ls => ls.map(l => l.getAttribute('href'))")
    assert preloads == list(FIRST_VIEW_DATA)
    fetched = page.evaluate("""() => performance.getEntriesByType('resource')
        .map(e => e.name.slice(location.origin.length))
        .filter(u => u.startsWith('/api/') || u.includes('world-atlas'))""")
    assert sorted(fetched) == sorted(preloads)  # each preload used, once, and nothing else asked
    page.goto(base_url + "/?country=Iraq")  # a filtered link preloads only the basemap
    _ready(page)
    assert page.eval_on_selector_all("link[rel=preload]", "ls => ls.length") == 1
    assert outside == []
    page.context.close()


def test_breakdowns_and_pick_lists_with_counts(browser: Browser, base_url: str) -> None:
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/")
    _ready(page)
    total = _count(page)
    by_type = page.locator("#bd-event_type tbody tr td.n:nth-child(2)").all_inner_texts()
    assert len(by_type) == 6 and sum(int(x.replace(",", "")) for x in by_type) == total
    assert page.locator("#bd-region tbody tr").count() == 10
    assert page.locator("#bd-actor tbody tr").count() == 10
    expect(page.locator("#bd-period")).to_contain_text("All dates")
    page.locator("details.pick[data-name=event_type] summary").click()
    counts = page.locator("details.pick[data-name=event_type] .pick-list .n").all_inner_texts()
    assert sum(int(c.replace(",", "")) for c in counts) == total
    page.locator("details.pick[data-name=event_type] summary").click()

    _pick(page, "country", "Iraq")
    _pick(page, "country", "Syria")  # multi-select: either country
    assert "country=Iraq" in page.url and "country=Syria" in page.url
    expect(page.locator("details.pick[data-name=country] .pick-value")).to_have_text("2 chosen")
    places = page.locator("#event-table tbody tr td:nth-child(3)").all_inner_texts()
    assert places and all(p.split(" (")[0].endswith(("Iraq", "Syria")) for p in places)
    regions = page.locator("#bd-region tbody a.bd-link").all_inner_texts()
    assert regions and all(r.startswith(("Iraq", "Syria")) for r in regions)
    both = _count(page)

    _pick(page, "disorder_type", "Demonstrations")
    shown_types = set(page.locator("#bd-event_type tbody a.bd-link").all_inner_texts())
    assert shown_types and shown_types <= {"Protests", "Riots"}
    page.locator("details.pick[data-name=disorder_type] summary").click()
    page.locator("details.pick[data-name=disorder_type] .pick-clear").click()
    _ready(page)
    assert "disorder_type" not in page.url
    page.locator("details.pick[data-name=disorder_type] summary").click()

    _pick(page, "civilian_targeting", "yes")  # counted from the events table, when opened
    assert "civilian_targeting=true" in page.url and 0 < _count(page) < both
    with page.expect_response(lambda r: "names=interaction" in r.url):  # counted when opened
        page.locator("details.pick[data-name=interaction] summary").click()
    first = page.locator("details.pick[data-name=interaction] .pick-list input").first.get_attribute("value")
    _pick(page, "interaction", first or "")
    assert f"interaction={first}" in page.url
    _both_widths(page, "breakdowns-picklists")

    page.goto(base_url + "/?date_from=2021-01-01&date_to=2021-06-30")
    _ready(page)
    expect(page.locator("#bd-period")).to_contain_text("previous period 2020-07-04 – 2020-12-31")
    prev = page.locator("#bd-event_type tbody tr td.prev").first
    expect(prev).to_be_visible()
    _both_widths(page, "breakdowns-previous-period")
    assert outside == []
    page.context.close()


def test_saved_views_are_urls(browser: Browser, base_url: str) -> None:
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + "/?country=Iraq&event_type=Battles&by=week")
    _ready(page)
    page.fill("#view-name", "Iraq battles")
    page.click("#save-view")
    link = page.locator("#saved-views a.saved-view", has_text="Iraq battles")
    assert "country=Iraq" in (link.get_attribute("href") or "")
    page.goto(base_url + "/")
    _ready(page)
    page.locator("#saved-views a.saved-view", has_text="Iraq battles").click()
    _ready(page)
    expect(page.locator("details.pick[data-name=country] .pick-value")).to_have_text("Iraq")
    expect(page.locator("details.pick[data-name=event_type] .pick-value")).to_have_text("Battles")
    assert page.locator("#timeline").get_attribute("data-by") == "week"
    _shot(page, "saved-view-1440")
    assert outside == []
    page.context.close()


def test_phone_width_has_no_sideways_overflow(browser: Browser, served: tuple[str, str, int]) -> None:
    base_url, merged, _ = served
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside, viewport=PHONE)
    for name, path in (("dashboard", "/"), ("event", f"/events/{merged}"), ("review", "/review")):
        page.goto(base_url + path)
        if path == "/":
            _ready(page)
            box = page.locator("#map").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        _shot(page, f"phone-{name}")
    assert outside == []
    page.context.close()


def test_event_page_minimap_disagreement_edit_merge_split(
    browser: Browser, served: tuple[str, str, int]
) -> None:
    base_url, merged, _ = served
    outside: list[str] = []
    page = _offline_page(browser, base_url, outside)
    page.goto(base_url + f"/events/{merged}")
    page.wait_for_selector("#minimap[data-ready='1']")
    assert int(page.get_attribute("#minimap", "data-points-drawn") or 0) >= 3  # the event and both reports
    agreement = page.locator("#agreement")
    expect(agreement).to_contain_text("reports disagree")
    expect(agreement.locator("li[data-field=place]")).to_contain_text("used for the event")
    expect(agreement.locator("li[data-field=fatalities]")).to_contain_text("1 report")
    _both_widths(page, "event-disagreement")

    page.click("#login-link")
    page.fill("input[name=username]", "rui")
    page.fill("input[name=password]", "reviewer-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(base_url + f"/events/{merged}")

    page.locator("#edit-box summary").click()
    page.select_option("#edit-event-type", "Protests")
    subs = page.eval_on_selector_all("#edit-sub-event-type option:not([disabled])",
                                     "os => os.map(o => o.getAttribute('data-type'))")
    assert subs and set(subs) == {"Protests"}  # sub-event types of the chosen type only
    page.select_option("#edit-sub-event-type", "Peaceful protest")
    page.fill("input[name=actor1]", "Protesters (Iraq)")
    page.press("input[name=actor1]", "Tab")  # the change: inter1 follows the actor
    expect(page.locator("#actor1-hint")).to_contain_text("inter 6")
    assert page.input_value("select[name=inter1]") == "6"
    page.fill("input[name=actor2]", "")
    page.press("input[name=actor2]", "Tab")
    _shot(page, "event-edit-form-1440")
    page.click("#save-edits")
    expect(page.locator(".flash")).to_contain_text("Saved")
    expect(page.locator(".flash")).to_contain_text("inter1")
    expect(page.locator("table.kv")).to_contain_text("(inter 6: Protesters)")

    page.locator("#split-box summary").click()  # the merged event's two reports, with their words
    expect(page.locator("#split-box .choice-list")).to_contain_text("fatalities")
    page.locator("#split-box input[name=mention_ids]").first.check()
    page.click("#split")
    expect(page.locator(".flash")).to_contain_text("Split off")

    # merge: an event with another in its country within a week, ticked from a list (no ids typed)
    syria = page.request.get(base_url + "/api/events?limit=100&country=Syria").json()["items"]
    target = next(e["id"] for e in syria
                  if page.request.get(base_url + f"/api/dashboard/merge-candidates/{e['id']}").json())
    page.goto(base_url + f"/events/{target}")
    page.locator("#merge-box summary").click()
    candidates = page.locator("#merge-candidates input[type=checkbox]")
    assert candidates.count() >= 1
    candidates.first.check()
    page.click("#merge")
    expect(page.locator(".flash")).to_contain_text("Merged")
    _shot(page, "event-after-merge-1440")
    assert outside == []
    page.context.close()
