"""Watchlists: saved deal filters that run (deals reported since the last run), and webhooks told
of each matching deal an ingest stores — against a real local HTTP server that fails the first
attempt, and through an ingest killed while its alert is in flight (never sent twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from biodeals.cli.commands import sample_paths
from biodeals.errors import ConfigError, NotFound
from biodeals.service import watchlists
from biodeals.service.alerts import DeliveryPolicy, deliver_alerts, queue_alerts
from biodeals.service.ingest import ingest
from biodeals.store import connect

FAST = DeliveryPolicy(timeout=2.0, attempts=3, pause=0.05)
ROOT = Path(__file__).resolve().parents[2]


def _sample(prefix: str) -> str:
    return next(path for path in sample_paths() if Path(path).name.startswith(prefix))


class Hook:
    """A local webhook receiver: answers each POST with the next status of ``statuses`` (then
    200), holding a request ``hold`` seconds first when asked; records every body."""

    def __init__(self, statuses: list[int] | None = None, hold: float = 0.0) -> None:
        self.statuses = list(statuses or [])
        self.hold = hold
        self.bodies: list[dict] = []
        self.arrived = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.bodies.append(body)
                hook.arrived.set()
                time.sleep(hook.hold)
                status = hook.statuses.pop(0) if hook.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def deal_ids(self) -> list[int]:
        return [body["deal"]["id"] for body in self.bodies]


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook(statuses=[500])  # the first attempt fails
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_a_watchlist_runs_over_the_deals_reported_since_its_last_run(engine):
    watchlists.add_watchlist(engine, "big-acquisitions", {"type": "acquisition", "min_total": "100M"})
    first = watchlists.run_watchlist(engine, "big-acquisitions")
    assert first["since"] is None and first["deals"] == []
    ingest([_sample("02"), _sample("01")], engine)
    second = watchlists.run_watchlist(engine, "big-acquisitions")
    assert [d["types"] for d in second["deals"]] == [["acquisition"]] and second["since"]
    assert watchlists.run_watchlist(engine, "big-acquisitions")["deals"] == []  # nothing new since
    again = watchlists.run_watchlist(engine, "big-acquisitions", since=watchlists.datetime(2000, 1, 1))
    assert [d["id"] for d in again["deals"]] == [d["id"] for d in second["deals"]]
    [listed] = watchlists.list_watchlists(engine)
    assert listed["name"] == "big-acquisitions" and listed["deals"] == 1 and listed["filters"]["min_total"] == 1e8


@pytest.mark.parametrize(
    ("name", "filters", "webhook", "problem"),
    [
        ("has space", {}, None, "expected 1-64 letters"),
        ("ok", {"since": "soon"}, None, "since"),
        ("ok", {"bogus": "1"}, None, "bogus"),
        ("ok", {}, "ftp://example.com/x", "expected an http:// or https:// URL"),
    ],
)
def test_bad_watchlists_are_refused_with_the_reason(engine, name, filters, webhook, problem):
    with pytest.raises(ConfigError, match=problem):
        watchlists.add_watchlist(engine, name, filters, webhook)


def test_names_are_unique_and_unknown_ones_are_not_found(engine):
    watchlists.add_watchlist(engine, "kras", {"target": "KRAS"})
    with pytest.raises(ConfigError, match="taken"):
        watchlists.add_watchlist(engine, "kras", {})
    with pytest.raises(NotFound, match="watchlists: kras"):
        watchlists.run_watchlist(engine, "kraz")
    watchlists.remove_watchlist(engine, "kras")
    assert watchlists.list_watchlists(engine) == []


def test_an_ingest_tells_the_webhook_once_per_matching_deal_retrying_a_failure(engine, hook):
    watchlists.add_watchlist(engine, "licences", {"type": "license"}, webhook=hook.url)
    ingest([_sample("01"), _sample("02")], engine, alerts=FAST)  # a licence and an acquisition
    [licence] = [d for d in watchlists.run_watchlist(engine, "licences")["deals"]]
    assert hook.deal_ids() == [licence["id"], licence["id"]]  # refused once (500), then taken
    assert hook.bodies[-1]["watchlist"] == "licences" and hook.bodies[-1]["path"] == f"/deals/{licence['id']}"
    assert hook.bodies[-1]["deal"]["headline"] == licence["headline"]
    [logged] = watchlists.delivery_log(engine, "licences")
    assert (logged["status"], logged["attempts"], logged["deal_id"]) == ("sent", 2, licence["id"])
    ingest([_sample("03")], engine, alerts=FAST)  # a readout: nothing new to tell
    assert queue_alerts(engine) == (0, []) and deliver_alerts(engine, FAST) == 0
    assert len(hook.bodies) == 2


def test_an_unreachable_webhook_gives_up_after_its_attempts_and_never_fails_the_ingest(engine):
    watchlists.add_watchlist(engine, "licences", {"type": "license"}, webhook="http://127.0.0.1:1/nothing-listens")
    summary = ingest([_sample("01")], engine, alerts=FAST)
    assert summary.stored.deals_added >= 1
    [logged] = watchlists.delivery_log(engine, "licences")
    assert logged["status"] == "failed" and logged["attempts"] == FAST.attempts and logged["last_error"]


INGEST = """
import sys
from biodeals.service.alerts import DeliveryPolicy
from biodeals.service.ingest import ingest
from biodeals.store import connect
ingest(sys.argv[2:], connect(sys.argv[1]), alerts=DeliveryPolicy(timeout=30, attempts=3, pause=0.05))
"""


def test_an_ingest_killed_while_its_alert_is_in_flight_never_sends_it_twice(tmp_path):
    db = tmp_path / "kb.db"
    engine = connect(db)
    receiver = Hook(hold=30.0)  # takes the request and keeps it: the ingest is killed meanwhile
    try:
        watchlists.add_watchlist(engine, "licences", {"type": "license"}, webhook=receiver.url)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        process = subprocess.Popen([sys.executable, "-c", INGEST, str(db), _sample("01")], env=env, cwd=ROOT)
        assert receiver.arrived.wait(60), "the alert never arrived"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        receiver.hold = 0.0
        ingest([_sample("01"), _sample("08")], engine, alerts=FAST)  # again, and a second licence
        assert queue_alerts(engine) == (0, []) and deliver_alerts(engine, FAST) == 0
        ids = receiver.deal_ids()
        assert len(ids) == len(set(ids)) >= 2, ids  # the first licence once, each later one once
        states = {d["deal_id"]: d["status"] for d in watchlists.delivery_log(engine, "licences")}
        assert states.pop(ids[0]) == "sending"  # the log shows the one cut off
        assert set(states.values()) == {"sent"} and set(states) == set(ids[1:])
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
        engine.dispose()


def test_a_watchlist_whose_filters_no_longer_hold_is_named_and_holds_up_no_other(engine, hook):
    from sqlalchemy import update

    from biodeals.store import schema as t
    from biodeals.store.db import write_transaction

    watchlists.add_watchlist(engine, "broken", {"type": "license"}, webhook=hook.url)
    watchlists.add_watchlist(engine, "licences", {"type": "license"}, webhook=hook.url)
    with write_transaction(engine) as conn:  # as a later version might find it: a filter it dropped
        conn.execute(update(t.watchlists).where(t.watchlists.c.name == "broken").values(filters='{"colour": "red"}'))
    summary = ingest([_sample("01")], engine, alerts=FAST)
    assert [p.split(" (")[0] for p in summary.alert_problems] == ["watchlist broken: its filters no longer hold"]
    queued, problems = queue_alerts(engine)
    assert queued == 0  # the ingest queued (and sent) the licence of the watchlist that holds
    assert [p.split(" (")[0] for p in problems] == ["watchlist broken: its filters no longer hold"]
    assert [b["watchlist"] for b in hook.bodies][-1] == "licences"
    with pytest.raises(ConfigError, match="watchlist broken: its filters no longer hold"):
        watchlists.run_watchlist(engine, "broken")


def test_a_deal_merged_away_and_back_is_not_alerted_again(engine, hook):
    from biodeals.service import curation
    from biodeals.service.queries import DealFilter, list_deals

    hook.statuses = []
    watchlists.add_watchlist(engine, "licences", {"type": "license"}, webhook=hook.url)
    ingest([_sample("01"), _sample("08")], engine, alerts=FAST)
    sent = sorted(hook.deal_ids())
    licences = [d["id"] for d in list_deals(engine, DealFilter(type="license", limit=None))]
    assert sent == sorted(licences) and len(sent) >= 2
    merge = curation.merge_deals(engine, sent[0], sent[1], "ann")
    curation.undo(engine, merge["id"], "ann")
    assert queue_alerts(engine) == (0, []) and deliver_alerts(engine, FAST) == 0
    assert sorted(hook.deal_ids()) == sent


def test_the_public_view_hides_the_webhooks_path_and_the_errors():
    made = {"name": "x", "webhook": "https://hooks.example:8443/T0/secret-token?key=abc"}
    assert watchlists.public_watchlist(made)["webhook"] == "https://hooks.example:8443/…"
    assert watchlists.public_log([{"deal_id": 1, "status": "failed", "last_error": "ConnectError"}]) == [
        {"deal_id": 1, "status": "failed"}
    ]
