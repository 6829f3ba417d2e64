"""Typed dependencies: settings and the driver opened in the lifespan."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from api.settings import ApiSettings
from graph.settings import Neo4jSettings


@lru_cache
def get_settings() -> ApiSettings:
    return ApiSettings()


def get_driver(request: Request) -> Driver:
    driver: Driver = request.app.state.driver
    return driver


def get_neo4j_settings(request: Request) -> Neo4jSettings:
    settings: Neo4jSettings = request.app.state.neo4j_settings
    return settings


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
DriverDep = Annotated[Driver, Depends(get_driver)]
Neo4jSettingsDep = Annotated[Neo4jSettings, Depends(get_neo4j_settings)]
