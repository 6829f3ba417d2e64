"""Scheduled rule kinds: the one place a rule kind that runs on a clock is registered.

A kind gives its job id, its trigger (from the alert settings) and its callable (a method of
the evaluator). The scheduler keeps one job per kind whose trigger is set; adding a kind is a
rule spec (alerts/rules.py), its evaluation (alerts/evaluate.py) and one entry here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from alerts.evaluate import AlertEvaluator
from alerts.settings import AlertSettings


@dataclass(frozen=True)
class ScheduledJob:
    """A recurring job besides the crawls: its id in the store, a name, a trigger, a callable."""

    job_id: str
    name: str
    trigger: BaseTrigger
    run: Callable[[], object]


@dataclass(frozen=True)
class ScheduledKind:
    """How a scheduled rule kind becomes a job: its trigger (None: not scheduled) and callable."""

    job_id: str
    name: str
    trigger: Callable[[AlertSettings], BaseTrigger | None]
    job: Callable[[AlertEvaluator], Callable[[], object]]


def every(seconds: float | None) -> BaseTrigger | None:
    return IntervalTrigger(seconds=seconds, timezone=UTC) if seconds else None


SCHEDULED_KINDS: tuple[ScheduledKind, ...] = (
    ScheduledKind(
        job_id="alerts:spikes",
        name="alerts: spike rules",
        trigger=lambda s: every(s.spike_interval_s),
        job=lambda evaluator: evaluator.run_spikes,
    ),
)


def scheduled_jobs(evaluator: AlertEvaluator, settings: AlertSettings,
                   kinds: Sequence[ScheduledKind] = SCHEDULED_KINDS) -> list[ScheduledJob]:
    """The jobs of every registered kind whose trigger the settings switch on."""
    jobs = []
    for kind in kinds:
        trigger = kind.trigger(settings)
        if trigger is not None:
            jobs.append(ScheduledJob(kind.job_id, kind.name, trigger, kind.job(evaluator)))
    return jobs
