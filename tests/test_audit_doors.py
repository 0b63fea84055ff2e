"""One audit trail whatever the door (issue 22 item 2): a merge and a split from the command line,
an edit and a confirm through the JSON API and an edit through the dashboard's form all appear in
``/api/review/audit`` and in the history of the events they touched, with who did them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventlens.api import create_app
from eventlens.api.synthetic import generate_reports
from eventlens.auth import create_token, create_user
from eventlens.cli import main
from eventlens.config import Settings
from eventlens.store import open_store


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["eventlens", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    assert done.value.code in (0, None), out.err
    return out.out.strip()


@pytest.mark.slow  # argon2 hashing for the user, its login and a token: about 14 s under load
def test_every_door_writes_the_one_audit_trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "audit.db"
    url = f"sqlite:///{db}"
    with open_store(url) as store:
        for r in generate_reports(12, seed=8):
            store.write_document(r.document, [r.article], list(r.events))
    create_user(url, "rui", "reviewer", "reviewer-pass-1")
    token = create_token(url, "rui")
    with TestClient(create_app(Settings(database_url=url))) as client:
        ids = [i["id"] for i in client.get("/api/events", params={"limit": 6}).json()["items"]]
        a, b, c, d = ids[:4]

        # the command line: merge b into a, then split b's mention out again
        kept = _cli(monkeypatch, capsys, "merge", a, b, "--user", "cli-ana", "--note", "same attack",
                    "--db", str(db))
        assert kept == a
        moved = client.get(f"/api/events/{a}").json()["event"]["mentions"][-1]["id"]
        new = _cli(monkeypatch, capsys, "split", a, moved, "--user", "cli-ana", "--db", str(db))

        # the JSON API: an edit and a confirm
        auth = {"Authorization": f"Bearer {token}"}
        assert client.patch(f"/api/events/{c}", headers=auth,
                            json={"changes": {"fatalities": 4}, "note": "second report"}).status_code == 200
        assert client.post(f"/api/events/{d}/confirm", headers=auth).status_code == 200

        # the dashboard: a logged-in reviewer edits through the event page's form
        login = client.get("/login").text.split('name="login_csrf" value="')[1].split('"')[0]
        assert client.post("/login", data={"username": "rui", "password": "reviewer-pass-1",
                                           "login_csrf": login}, follow_redirects=False).status_code == 303
        csrf = client.get(f"/events/{d}").text.split('name="csrf_token" value="')[1].split('"')[0]
        saved = client.post(f"/review/{d}/edit", data={"csrf_token": csrf, "fatalities": "7"},
                            follow_redirects=False)
        assert saved.status_code == 303, saved.text

        trail = client.get("/api/review/audit").json()
        seen = [(r["who"], r["action"], r["event_ids"][0]) for r in reversed(trail)]
        assert seen == [("cli-ana", "merge", a), ("cli-ana", "split", a), ("rui", "edit", c),
                        ("rui", "confirm", d), ("rui", "edit", d)]
        assert trail[-1]["note"] == "same attack" and trail[-2]["event_ids"] == [a, new]
        assert trail[0]["after"] == {"fatalities": 7}

        def history(event_id: str) -> list[str]:
            found = client.get(f"/api/events/{event_id}").json()["history"]
            return [f"{h['who']} {h['action']}" for h in found]

        assert history(a) == ["cli-ana split", "cli-ana merge"]  # newest first
        assert history(new) == ["cli-ana split"]
        assert history(c) == ["rui edit"]
        assert history(d) == ["rui edit", "rui confirm"]
        for event_id in (a, new, c, d):
            only = client.get("/api/review/audit", params={"event_id": event_id}).json()
            assert [f"{r['who']} {r['action']}" for r in only] == history(event_id)
