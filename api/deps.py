"""Typed dependencies: settings and the driver opened in the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from alerts.clock import Clock, utcnow
from api.settings import ApiSettings
from graph.reader import Reads
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
    clock: Clock = getattr(request.app.state, "clock", utcnow)
    return clock


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
DriverDep = Annotated[Driver, Depends(get_driver)]
Neo4jSettingsDep = Annotated[Neo4jSettings, Depends(get_neo4j_settings)]


def get_reads(driver: DriverDep, neo4j: Neo4jSettingsDep, settings: SettingsDep) -> Reads:
    """Read transactions with the API's server-side query timeout."""
    return Reads(driver, neo4j.database, settings.query_timeout_s)


ReadsDep = Annotated[Reads, Depends(get_reads)]
