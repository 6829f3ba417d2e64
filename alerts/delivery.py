"""The delivery worker: claims due deliveries from the outbox, signs and POSTs them through
the SSRF-guarded client, and records each attempt.

- `webhook-id` is the Delivery id (constant across retries); `webhook-timestamp` and the
  signatures are computed per attempt; during a secret rotation both secrets sign.
- Only 2xx is success; 3xx is a failure (never followed); 410 disables the endpoint; a URL
  the SSRF guard refuses at send time fails at once, with the reason; other failures are
  retried on the (time-scaled, jittered) Standard Webhooks schedule, later if the
  receiver sent Retry-After; an endpoint failing for `disable_after_s` is disabled and its
  owner alerted.
- A worker stopping finishes its in-flight attempts; a worker dying leaves claims whose lease
  expires, and any worker takes them over. Receivers dedupe on `webhook-id`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from alerts import channels, payloads, signing
from alerts.clock import utcnow
from alerts.errors import AlertsError, UnsafeUrl
from alerts.evaluate import webhook_disabled_draft
from alerts.retry import Outcome, judge, retry_delay
from alerts.settings import AlertSettings
from alerts.ssrf import SsrfGuard, attempt_deadline, guarded_client
from graph import outbox
from graph.access import Graph
from graph.outbox import Claimed, Driver, new_id
from graph.outbox_models import Webhook

log = logging.getLogger(__name__)


class Sender:
    """Signs and POSTs one body; never raises for network trouble (it is an Outcome)."""

    def __init__(self, settings: AlertSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.guard = SsrfGuard(tuple(settings.allow_list))
        self.client = client or guarded_client(self.guard, settings.attempt_timeout_s,
                                               max_connections=settings.concurrency * 2,
                                               user_agent=settings.user_agent)

    def close(self) -> None:
        self.client.close()

    def send(self, url: str, msg_id: str, body: str, secrets_: tuple[str, ...],
             fmt: str = "generic", bot_secret: str | None = None) -> Outcome:
        started = time.perf_counter()
        now = time.time()
        timestamp = int(now)
        url, body = channels.prepare(fmt, bot_secret, url, body, now)
        headers = {"content-type": "application/json",
                   **signing.headers(secrets_, msg_id, timestamp, body)}
        try:
            self.guard.check_url(url)
            with attempt_deadline(self.settings.attempt_timeout_s):
                resp = self.client.post(url, content=body.encode("utf-8"), headers=headers)
                answer = resp.text[:4096] if fmt in channels.BODY_VERDICT else ""
                resp.close()
        except UnsafeUrl as exc:  # the address will not become safe by waiting: no retries
            return Outcome(ok=False, error=f"refused by SSRF guard: {exc}", permanent=True,
                           duration_ms=_ms(started))
        except httpx.TimeoutException as exc:
            return Outcome(ok=False, error=f"timeout ({type(exc).__name__}): {exc}"[:300],
                           duration_ms=_ms(started))
        except (httpx.HTTPError, AlertsError, OSError) as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:300],
                           duration_ms=_ms(started))
        outcome = judge(resp.status_code, resp.headers.get("retry-after"), _ms(started))
        refused = channels.body_error(fmt, answer) if outcome.ok else None
        if refused is not None:  # 200 with an error code: a failure, recorded and retried
            return Outcome(ok=False, status_code=resp.status_code, error=refused,
                           duration_ms=outcome.duration_ms)
        return outcome


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)


@dataclass(frozen=True)
class TestResult:
    delivery_id: str
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: float


class DeliveryWorker:
    """Threads: one loop claiming batches, a pool sending them. `wake()` after writing alerts
    shortens the wait; otherwise the outbox is polled every `poll_interval_s`."""

    def __init__(self, driver: Driver, settings: AlertSettings, database: str | None = None,
                 sender: Sender | None = None, clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None) -> None:
        self.driver = driver
        self.graph = Graph(driver, database, None)
        self.settings = settings
        self.database = database
        self.sender = sender or Sender(settings)
        self.clock = clock
        self.rng = rng or random.Random()
        self.token = new_id("wrk")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="webhook")
        # sending slots: a claim never takes more deliveries than can be attempted soon,
        # so leases do not expire while deliveries wait in the pool's queue
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._lock = threading.Lock()
        self._soonest: float | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> DeliveryWorker:
        self._thread = threading.Thread(target=self._loop, name="delivery-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop claiming; in-flight attempts finish and are recorded."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=True)
        self.sender.close()

    @property
    def died(self) -> bool:
        """Started, and its loop no longer runs (readiness reports it)."""
        return self._thread is not None and not self._thread.is_alive()

    def wake(self, *_: Any) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once(wait=False)
            except Exception:
                log.exception("delivery worker iteration failed")
                busy = 0
            if busy == 0 and not self._stop.is_set():
                self._wake.wait(self._idle_wait())
                self._wake.clear()

    def _idle_wait(self) -> float:
        """Poll interval, shortened when a retry of ours falls due sooner."""
        now = time.monotonic()
        with self._lock:
            soonest = self._soonest
            if soonest is not None and soonest <= now:
                self._soonest = None  # due now: the next claim picks it up
        wait = self.settings.poll_interval_s
        if soonest is not None:
            wait = min(wait, max(0.0, soonest - now))
        return wait

    # --- one round ----------------------------------------------------------------------

    def run_once(self, wait: bool = True) -> int:
        """Claim due deliveries for the free sending slots and attempt them; returns how many
        were claimed. With `wait` the attempts are finished and recorded on return."""
        if not self._slots.acquire(timeout=self.settings.poll_interval_s):
            return 0
        free = 1
        while free < self.settings.claim_batch and self._slots.acquire(blocking=False):
            free += 1
        try:
            now = self.clock()
            lease_until = now + timedelta(seconds=self.settings.lease_s)
            claimed = outbox.claim_deliveries(self.graph, now, lease_until, self.token, free)
        except BaseException:
            for _ in range(free):
                self._slots.release()
            raise
        for _ in range(free - len(claimed)):
            self._slots.release()
        futures = [self._pool.submit(self._attempt, c) for c in claimed]
        if wait:
            for fut in futures:
                fut.result()
        return len(claimed)

    def _attempt(self, c: Claimed) -> None:
        try:
            outcome = self.sender.send(c.url, c.id, c.body, c.secrets, c.format, c.bot_secret)
            self._record(c, outcome)
        except Exception:
            log.exception("delivery %s: attempt could not be recorded", c.id)
        finally:
            self._slots.release()
            self._wake.set()

    def _record(self, c: Claimed, outcome: Outcome) -> None:
        now = self.clock()
        s = self.settings
        delay = retry_delay(outcome, c.attempts + 1, s.retry_time_scale, s.retry_jitter,
                            s.max_retry_after_s, self.rng)
        if outcome.ok:
            status, next_at = "succeeded", None
        elif delay is None:
            status, next_at = "failed", None
        else:
            status, next_at = "pending", now + timedelta(seconds=delay)
            due = time.monotonic() + delay
            with self._lock:
                self._soonest = due if self._soonest is None else min(self._soonest, due)
        kept = outbox.complete_delivery(self.graph, c.id, self.token, status, next_at,
                                        outcome.status_code, outcome.error,
                                        outcome.duration_ms, now)
        if not kept:
            log.warning("delivery %s: claim lost before the attempt was recorded", c.id)
        if outcome.ok:
            if c.failing:  # one write less per delivery to a healthy endpoint
                outbox.webhook_succeeded(self.graph, c.webhook_id, now)
            return
        log.info("delivery %s to %s failed: %s", c.id, c.url, outcome.error)
        if outcome.gone:
            self._disable(c.webhook_id, "the receiver answered 410 Gone", now)
            return
        failing_since = outbox.webhook_failed(self.graph, c.webhook_id, now)
        if failing_since and (now - failing_since).total_seconds() >= s.disable_after_s:
            self._disable(c.webhook_id, f"failing without a success since "
                                        f"{failing_since.isoformat()}", now)

    def _disable(self, webhook_id: str, reason: str, now: datetime) -> None:
        webhook = outbox.disable_webhook(self.graph, webhook_id, reason, now)
        if webhook is None:
            return
        log.warning("webhook %s disabled: %s", webhook_id, reason)
        recorded = outbox.record_alerts(self.graph, [webhook_disabled_draft(webhook, reason)],
                                        payloads.render, now, self.settings.max_evidence)
        if any(r.deliveries for r in recorded):
            self.wake()


def test_send(g: Graph, sender: Sender, webhook: Webhook, now: datetime) -> TestResult:
    """Send a signed `webhook.test` event now and log it like any delivery (not retried)."""
    data: dict[str, Any] = {
        "id": new_id("tst"), "rule_id": None, "rule_type": "test", "owner": webhook.owner,
        "severity": "info", "title": "Tokenwatch test event",
        "summary": "This is a test delivery from Tokenwatch.",
        "dedupe_key": "test", "entities": [], "evidence": [], "created_at": now}
    body = payloads.render(data, webhook.format, event="webhook.test")
    row = outbox.new_delivery_row(None, webhook.id, webhook.owner, "webhook.test", body, now,
                                  status="sending")
    row["claim"] = "test"
    outbox.insert_delivery(g, row)
    outcome = sender.send(webhook.url, row["id"], body, webhook.secrets_at(now), webhook.format,
                          webhook.bot_secret)
    outbox.complete_delivery(g, row["id"], "test", "succeeded" if outcome.ok else "failed",
                             None, outcome.status_code, outcome.error, outcome.duration_ms, now)
    return TestResult(row["id"], outcome.ok, outcome.status_code, outcome.error,
                      outcome.duration_ms)


test_send.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
