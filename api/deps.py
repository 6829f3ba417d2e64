"""Typed dependencies: settings, the driver and the services the lifespan owns.

Everything a route reaches is on `app.state` under a typed name set by `create_app` and its
lifespan (`api_settings`, `clock`, `driver`, `neo4j_settings`, `services`); no route reads
`app.state` itself, and routes reach the graph only through `GraphDep`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from alerts.clock import Clock
from alerts.delivery import DeliveryWorker
from alerts.settings import AlertSettings, get_alert_settings
from api.scheduling import CrawlSchedules
from api.settings import ApiSettings
from graph.access import Graph
from graph.settings import Neo4jSettings


def get_settings(request: Request) -> ApiSettings:
    """The app's settings (built once by `create_app`; tests pass their own)."""
    settings: ApiSettings = request.app.state.api_settings
    return settings


def get_driver(request: Request) -> Driver:
    driver: Driver = request.app.state.driver
    return driver


def get_neo4j_settings(request: Request) -> Neo4jSettings:
    settings: Neo4jSettings = request.app.state.neo4j_settings
    return settings


def get_clock(request: Request) -> Clock:
    """The app's clock (`create_app(clock=…)`; the wall clock by default): rule and webhook
    timestamps, acknowledgements and test sends read it, never the wall clock directly."""
    clock: Clock = request.app.state.clock
    return clock


@dataclass
class Services:
    """What the composition root runs beside the API, opened and closed by the lifespan.
    None: this process runs no such thing (a bare `create_app()`, `up --no-scheduler`)."""

    scheduler: CrawlSchedules | None = None
    delivery_worker: DeliveryWorker | None = None
    alert_settings: AlertSettings | None = None


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_alert_settings_dep(services: ServicesDep) -> AlertSettings:
    """The service's alert settings, else the environment's."""
    return services.alert_settings or get_alert_settings()


def get_delivery_worker(services: ServicesDep) -> DeliveryWorker | None:
    return services.delivery_worker


AlertSettingsDep = Annotated[AlertSettings, Depends(get_alert_settings_dep)]
DeliveryWorkerDep = Annotated[DeliveryWorker | None, Depends(get_delivery_worker)]


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
DriverDep = Annotated[Driver, Depends(get_driver)]
Neo4jSettingsDep = Annotated[Neo4jSettings, Depends(get_neo4j_settings)]


def get_graph(driver: DriverDep, neo4j: Neo4jSettingsDep, settings: SettingsDep) -> Graph:
    """Where every route's queries run, reads and writes: the app's driver and database, with
    the API's server-side query timeout (tests/test_architecture.py keeps routes to it)."""
    return Graph(driver, neo4j.database, settings.query_timeout_s)


GraphDep = Annotated[Graph, Depends(get_graph)]
ReadsDep = GraphDep  # the name the read routes (and the console) were written against
