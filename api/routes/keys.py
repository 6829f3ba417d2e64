"""API key management (admin and operator). The key string is shown once, at creation.

An admin manages the keys of its own owner (and no key ranked above admin); the operator
manages every owner's keys. Another owner's key is a 404 to an admin, as if absent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from api import auth
from api.auth import Admin, Forbidden, Principal
from api.deps import GraphDep
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


def _shown(key: apikeys.ApiKey) -> dict[str, Any]:
    """What a key response may say of a stored key (never its hash)."""
    return key.model_dump(include=set(KeyOut.model_fields))


class NewKey(KeyOut):
    key: str = Field(description="the secret key; shown only in this response",
                     examples=["tw_1a2b3c4d5e6f_…"])


@router.post("/keys", response_model=NewKey, status_code=201,
             responses={**ADMIN_ONLY, **problems(422)})
def create_key(body: KeyIn, principal: Admin, g: GraphDep) -> NewKey:
    """Create an API key for an owner with a role (an admin: for its own owner, up to admin)."""
    if not principal.may_manage(body.owner, body.role):
        raise Forbidden(f"a {principal.role} key of owner {principal.owner!r} cannot create a "
                        f"{body.role} key for owner {body.owner!r}")
    key, record = auth.issue_key(g, body.role, body.owner, body.name)
    return NewKey(key=key, **_shown(record))


@router.get("/keys", response_model=list[KeyOut], responses=ADMIN_ONLY)
def list_keys(principal: Admin, g: GraphDep) -> list[KeyOut]:
    """The owner's keys; every key for the operator (without secrets or hashes)."""
    owner = None if principal.all_owners else principal.owner
    return [KeyOut(**_shown(k)) for k in apikeys.list_keys(g, owner)]


@router.delete("/keys/{key_id}", response_model=KeyOut, responses=problems(403, 404, 422))
def revoke_key(
    key_id: Annotated[str, Path(max_length=64, examples=["1a2b3c4d5e6f"])],
    principal: Admin, request: Request, g: GraphDep,
) -> KeyOut:
    """Revoke a key (idempotent); it stops working at once in this process."""
    found = apikeys.get_key(g, key_id)
    if found is None or not principal.may_manage(found.owner):
        raise NotFound(f"no API key with id {key_id!r}")
    record = apikeys.revoke_key(g, key_id)
    if record is None:
        raise NotFound(f"no API key with id {key_id!r}")
    request.app.state.key_cache.drop(key_id)
    return KeyOut(**_shown(record))
