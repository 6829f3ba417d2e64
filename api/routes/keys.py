"""API key management (admin only). The key string is shown once, at creation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from api import auth
from api.auth import Admin, Principal
from api.deps import DriverDep, Neo4jSettingsDep
from api.errors import NotFound, problems
from graph import apikeys

router = APIRouter(tags=["keys"])
ADMIN_ONLY = problems(403)


class Me(BaseModel):
    key_id: str = Field(examples=["1a2b3c4d5e6f"])
    owner: str = Field(examples=["desk-media"],
                       description="rules, webhooks and alerts are scoped to this owner")
    role: auth.Role


@router.get("/me", response_model=Me)
def whoami(principal: Principal) -> Me:
    """The calling key's id, owner and role."""
    return Me(key_id=principal.key_id, owner=principal.owner, role=principal.role)


class KeyIn(BaseModel):
    role: auth.Role = Field(examples=["analyst"])
    owner: str = Field(min_length=1, max_length=100, examples=["desk-media"])
    name: str = Field(default="", max_length=200, examples=["research notebook"])


class KeyOut(BaseModel):
    id: str
    owner: str
    role: str
    name: str | None = None
    created_at: datetime | None = None
    revoked: bool = False


class NewKey(KeyOut):
    key: str = Field(description="the secret key; shown only in this response",
                     examples=["tw_1a2b3c4d5e6f_…"])


@router.post("/keys", response_model=NewKey, status_code=201,
             responses={**ADMIN_ONLY, **problems(422)})
def create_key(body: KeyIn, _: Admin, driver: DriverDep, neo4j: Neo4jSettingsDep) -> NewKey:
    """Create an API key for an owner with a role."""
    key, record = auth.issue_key(driver, body.role, body.owner, body.name, neo4j.database)
    return NewKey(key=key, **record)


@router.get("/keys", response_model=list[KeyOut], responses=ADMIN_ONLY)
def list_keys(_: Admin, driver: DriverDep, neo4j: Neo4jSettingsDep) -> list[KeyOut]:
    """Every key (without secrets or hashes)."""
    return [KeyOut(**r) for r in apikeys.list_keys(driver, database=neo4j.database)]


@router.delete("/keys/{key_id}", response_model=KeyOut, responses=problems(403, 404, 422))
def revoke_key(
    key_id: Annotated[str, Path(max_length=64, examples=["1a2b3c4d5e6f"])],
    _: Admin, request: Request, driver: DriverDep, neo4j: Neo4jSettingsDep,
) -> KeyOut:
    """Revoke a key (idempotent); it stops working at once in this process."""
    record = apikeys.revoke_key(driver, key_id, neo4j.database)
    if record is None:
        raise NotFound(f"no API key with id {key_id!r}")
    request.app.state.key_cache.drop(key_id)
    return KeyOut(**record)
