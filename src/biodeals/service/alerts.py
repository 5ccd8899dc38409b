"""Webhook alerts of watchlists: when an ingest stores a deal a watchlist with a webhook selects,
one JSON POST to the webhook's URL, logged in ``watch_deliveries``.

Each alert is sent at most once: its row (one per watchlist and deal, by a unique key) is
claimed as "sending", and that claim committed, before the request goes out, so a process killed
mid-send never sends it again (the row stays "sending": the log shows it). A failed attempt is
retried a bounded number of times with a growing pause, then the alert is "failed". Queueing
looks at every deal reported since the watchlist was made that has no alert yet, so alerts a
killed ingest never queued are queued by the next one. Sending runs beside the ingest in a
thread and never fails it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from biodeals import __version__
from biodeals.errors import NotFound
from biodeals.service.deals import get_deal, list_deals
from biodeals.service.watchlists import deal_filter, get_watchlist, now
from biodeals.store import schema as t
from biodeals.store.db import write_transaction


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How alerts are sent: seconds one request may take, attempts per alert, and the pause
    before the second attempt (doubled before each later one)."""

    timeout: float = 5.0
    attempts: int = 3
    pause: float = 0.5


DEFAULT_POLICY = DeliveryPolicy()


def queue_alerts(engine: Engine) -> int:
    """Queue an alert for every deal a watchlist with a webhook selects, reported since the
    watchlist was made, that has none yet. Returns how many were queued."""
    with engine.connect() as conn:
        watched = conn.execute(select(t.watchlists.c.name).where(t.watchlists.c.webhook.is_not(None))).scalars().all()
    queued = 0
    for name in watched:
        watchlist = get_watchlist(engine, name)
        since = datetime.fromisoformat(watchlist["created_at"])
        ids = [d["id"] for d in list_deals(engine, replace(deal_filter(watchlist), reported_since=since))]
        if not ids:
            continue
        d = t.watch_deliveries.c
        with write_transaction(engine) as conn:
            known = set(conn.scalars(select(d.deal_id).where(d.watchlist_id == watchlist["id"], d.deal_id.in_(ids))))
            for deal_id in ids:
                if deal_id in known:
                    continue
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(t.watch_deliveries).values(watchlist_id=watchlist["id"], deal_id=deal_id, queued_at=now())
                        )
                    queued += 1
                except IntegrityError:  # queued meanwhile by another process
                    continue
    return queued


def _claim(engine: Engine) -> Any | None:
    """The oldest pending alert, now marked "sending" (committed), or None when none is pending."""
    d = t.watch_deliveries.c
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(t.watch_deliveries, t.watchlists.c.name, t.watchlists.c.webhook)
            .join(t.watchlists, t.watchlists.c.id == d.watchlist_id)
            .where(d.status == "pending")
            .order_by(d.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        conn.execute(update(t.watch_deliveries).where(d.id == row.id).values(status="sending", attempts=d.attempts + 1))
        return row


def _payload(engine: Engine, watchlist: str, deal_id: int) -> dict[str, Any]:
    """What a webhook is told: the watchlist, the deal's headline and terms, its page's path."""
    deal = get_deal(engine, deal_id)
    keep = ("id", "headline", "announced", "year", "status", "types", "parties", "upfront", "milestones", "total_value")
    return {"watchlist": watchlist, "deal": {key: deal.get(key) for key in keep}, "path": f"/deals/{deal_id}"}


def _send(client: httpx.Client, url: str, payload: dict[str, Any]) -> str | None:
    """None when ``url`` took the alert (2xx), else why not, in a line."""
    try:
        response = client.post(url, json=payload)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"[:300]
    if response.is_success:
        return None
    return f"HTTP {response.status_code}"


def deliver_alerts(engine: Engine, policy: DeliveryPolicy = DEFAULT_POLICY, stop: threading.Event | None = None) -> int:
    """Send every pending alert (until ``stop`` is set); returns how many were sent."""
    sent = 0
    d = t.watch_deliveries.c
    headers = {"User-Agent": f"biodeals/{__version__} (watchlist alert)"}
    with httpx.Client(timeout=policy.timeout, headers=headers, follow_redirects=False) as client:
        while not (stop and stop.is_set()):
            row = _claim(engine)
            if row is None:
                return sent
            attempts = row.attempts + 1
            try:
                problem = _send(client, row.webhook, _payload(engine, row.name, row.deal_id))
            except NotFound:  # the deal was merged into another since it was queued
                problem, attempts = "the deal no longer exists", policy.attempts
            if problem is None:
                state = {"status": "sent", "sent_at": now(), "last_error": None}
                sent += 1
            else:
                state = {"status": "pending" if attempts < policy.attempts else "failed", "last_error": problem}
            with write_transaction(engine) as conn:
                conn.execute(update(t.watch_deliveries).where(d.id == row.id).values(**state))
            if problem is not None and attempts < policy.attempts:
                time.sleep(policy.pause * 2 ** (attempts - 1))
    return sent


class AlertSender:
    """Sends alerts in a thread beside an ingest: ``notify()`` after each written batch queues
    what it stored and wakes the sender; ``finish(seconds)`` waits that long at most for the
    sender to run out of work. Nothing here raises into the ingest: a failure is logged on the
    alert, or kept in ``problem``."""

    def __init__(self, engine: Engine, policy: DeliveryPolicy = DEFAULT_POLICY) -> None:
        self.engine = engine
        self.policy = policy
        self._wake = threading.Event()
        self._idle = threading.Event()  # set while the sender has nothing left to send
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.problem: str | None = None

    def notify(self) -> None:
        try:
            if not queue_alerts(self.engine):
                return
        except Exception as error:  # a watchlist that no longer validates must not stop an ingest
            self.problem = f"alerts not queued: {type(error).__name__}: {error}"
            return
        self._idle.clear()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="biodeals-alerts", daemon=True)
            self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            try:
                deliver_alerts(self.engine, self.policy, self._stop)
            except Exception as error:
                self.problem = f"alerts not sent: {type(error).__name__}: {error}"
            if not self._wake.is_set():
                self._idle.set()

    def finish(self, seconds: float) -> None:
        """Let the sender work for up to ``seconds`` more, then stop it (what is left stays
        pending, for the next ingest or ``biodeals watch deliver``)."""
        if self._thread is None:
            return
        self._idle.wait(seconds)
        self._stop.set()
        self._wake.set()
        self._thread.join(self.policy.timeout + 1)
