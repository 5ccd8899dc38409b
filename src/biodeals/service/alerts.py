"""Webhook alerts of watchlists: when an ingest stores a deal a watchlist with a webhook selects,
one JSON POST to the webhook's URL, logged in ``watch_deliveries``.

Each alert is sent at most once: its row (one per watchlist and deal, by a unique key) is
claimed as "sending", and that claim committed, before the request goes out, so a process killed
mid-send never sends it again (the row stays "sending": the log shows it). A failed attempt is
retried a bounded number of times with a growing pause, then the alert is "failed". Queueing
looks at every deal reported since the watchlist was made that has no alert yet, so alerts a
killed ingest never queued are queued by the next one (its first batch looks back to the
watchlist's making, later ones at their own documents only). Sending runs beside the ingest in a
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

from biodeals import __version__
from biodeals.errors import ConfigError, NotFound
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
_CHUNK = 500  # deal ids per query, far below any database's limit on bound parameters


def queue_alerts(engine: Engine, since: datetime | None = None) -> tuple[int, list[str]]:
    """Queue an alert for every deal a watchlist with a webhook selects, reported since the
    watchlist was made (and since ``since``: a batch's start looks at that batch only), that has
    none yet. Returns how many were queued, and the problem of each watchlist that could not be
    looked at (its filters no longer hold): the others go on."""
    with engine.connect() as conn:
        watched = conn.execute(select(t.watchlists.c.name).where(t.watchlists.c.webhook.is_not(None))).scalars().all()
    queued, problems = 0, []
    deliveries = t.watch_deliveries.c
    for name in watched:
        try:
            watchlist = get_watchlist(engine, name)
            start = max(datetime.fromisoformat(watchlist["created_at"]), since or datetime.min)
            ids = [deal["id"] for deal in list_deals(engine, replace(deal_filter(watchlist), reported_since=start))]
        except ConfigError as error:
            problems.append(str(error))
            continue
        with write_transaction(engine) as conn:  # one writer: no other can queue the same alert meanwhile
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                known = set(
                    conn.scalars(
                        select(deliveries.deal_id).where(deliveries.watchlist_id == watchlist["id"], deliveries.deal_id.in_(chunk))
                    )
                )
                rows = [
                    {"watchlist_id": watchlist["id"], "deal_id": deal_id, "queued_at": now()}
                    for deal_id in chunk
                    if deal_id not in known
                ]
                if rows:
                    conn.execute(insert(t.watch_deliveries), rows)
                    queued += len(rows)
    return queued, problems


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


def _send(client: httpx.Client, url: str, delivery_id: int, payload: dict[str, Any]) -> str | None:
    """None when ``url`` took the alert (2xx), else why not, in a line. The body of the answer
    is never read; ``Idempotency-Key`` lets a receiver drop a retry of an alert it already has."""
    headers = {"Idempotency-Key": f"biodeals-alert-{delivery_id}"}
    try:
        with client.stream("POST", url, json=payload, headers=headers) as response:
            status = response.status_code
    except httpx.HTTPError as error:
        return type(error).__name__
    return None if 200 <= status < 300 else f"HTTP {status}"


def deliver_alerts(engine: Engine, policy: DeliveryPolicy = DEFAULT_POLICY, stop: threading.Event | None = None) -> int:
    """Send every pending alert (until ``stop`` is set); returns how many were sent."""
    sent = 0
    stop = stop or threading.Event()
    rows = t.watch_deliveries.c
    agent = {"User-Agent": f"biodeals/{__version__} (watchlist alert)"}
    with httpx.Client(timeout=policy.timeout, headers=agent, follow_redirects=False) as client:
        while not stop.is_set():
            row = _claim(engine)
            if row is None:
                return sent
            attempts = row.attempts + 1
            try:
                problem = _send(client, row.webhook, row.id, _payload(engine, row.name, row.deal_id))
            except NotFound:  # the deal was merged into another since it was queued
                problem, attempts = "the deal no longer exists", policy.attempts
            except Exception as error:  # never left "sending" by a failure of ours: tried again later
                problem = f"not sent: {type(error).__name__}"
            if problem is None:
                state = {"status": "sent", "sent_at": now(), "last_error": None}
                sent += 1
            else:
                state = {"status": "pending" if attempts < policy.attempts else "failed", "last_error": problem}
            with write_transaction(engine) as conn:
                conn.execute(update(t.watch_deliveries).where(rows.id == row.id).values(**state))
            if problem is not None and attempts < policy.attempts:
                stop.wait(policy.pause * 2 ** (attempts - 1))
    return sent


class AlertSender:
    """Sends alerts in a thread beside an ingest: ``notify()`` after each written batch queues
    what it stored and wakes the sender; ``finish(seconds)`` waits that long at most for the
    sender to run out of work. Nothing here raises into the ingest: a failure is logged on the
    alert, or kept in ``problems``."""

    def __init__(self, engine: Engine, policy: DeliveryPolicy = DEFAULT_POLICY) -> None:
        self.engine = engine
        self.policy = policy
        self._work = threading.Condition()
        self._waiting = False  # work was asked for since the sender last looked
        self._busy = False
        self._retire = False  # end the thread once nothing is left to do
        self._healed = False  # whether alerts owed from before this ingest were queued
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.problems: list[str] = []

    def notify(self, batch_started: datetime) -> None:
        """Queue the alerts the batch written since ``batch_started`` owes (the first call also
        those an earlier, killed ingest never queued), and wake the sender (which also sends what
        earlier ingests left pending)."""
        since, self._healed = (batch_started if self._healed else None), True
        try:
            _, problems = queue_alerts(self.engine, since)
            self.problems += problems
            if not _pending(self.engine):  # no webhook is owed anything: no thread, no client
                return
        except Exception as error:
            self.problems.append(f"alerts not queued: {type(error).__name__}: {error}")
            return
        with self._work:
            self._waiting = True
            self._work.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="biodeals-alerts", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._work:
                while not self._waiting and not self._stop.is_set():
                    if self._retire:
                        return
                    self._work.wait()
                self._waiting, self._busy = False, True
            try:
                deliver_alerts(self.engine, self.policy, self._stop)
            except Exception as error:
                self.problems.append(f"alerts not sent: {type(error).__name__}: {error}")
            with self._work:
                self._busy = False
                self._work.notify_all()

    def finish(self, seconds: float | None) -> None:
        """Let the sender work for up to ``seconds`` more, then stop it (what is left stays
        pending, for the next ingest or ``biodeals watch deliver``); None leaves it running (a
        server, which outlives the ingest)."""
        if self._thread is None:
            return
        if seconds is None:  # the thread ends by itself once the queue is empty
            with self._work:
                self._retire = True
                self._work.notify_all()
            return
        deadline = time.monotonic() + seconds
        with self._work:
            while (self._waiting or self._busy) and (left := deadline - time.monotonic()) > 0:
                self._work.wait(left)
        self._stop.set()
        with self._work:
            self._work.notify_all()
        self._thread.join(self.policy.timeout + 1)


def _pending(engine: Engine) -> bool:
    """Whether any alert waits to be sent."""
    status = t.watch_deliveries.c.status
    with engine.connect() as conn:
        return conn.scalar(select(t.watch_deliveries.c.id).where(status == "pending").limit(1)) is not None
