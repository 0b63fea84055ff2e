"""End to end in a real headless Chromium: dashboard, filters, event page, reviewer login, export."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from eventlens.api import create_app
    from eventlens.api.synthetic import generate_reports
    from eventlens.auth import create_user
    from eventlens.config import Settings
    from eventlens.store import open_store

    db = tmp_path_factory.mktemp("web") / "web.db"
    store = open_store(f"sqlite:///{db}")
    for r in generate_reports(400, seed=21):
        store.write_document(r.document, [r.article], list(r.events))
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
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _offline_page(browser: Browser, base_url: str, outside: list[str]) -> Page:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
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

    page.fill("input[name=country]", "Iraq")
    page.select_option("select[name=event_type]", "Violence against civilians")
    page.click("#apply")
    page.wait_for_selector("body[data-ready='1']")
    assert "country=Iraq" in page.url and "event_type=Violence" in page.url
    rows = page.locator("#event-table tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        assert "Iraq" in rows.nth(i).locator("td").nth(2).inner_text()

    page.reload()  # filter state lives in the URL
    page.wait_for_selector("body[data-ready='1']")
    assert page.input_value("input[name=country]") == "Iraq"

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
