from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.convert import plain
from api.deps import DriverDep, Neo4jSettingsDep, SettingsDep
from api.errors import NotFound
from api.schemas import EntityProfile, ObservationOut, Problem
from graph import cypher, reader

router = APIRouter(tags=["entities"])
_KINDS = {label: kind for kind, label in cypher.ENTITY_LABELS.items()}


@router.get(
    "/entities/{entity_id}",
    response_model=EntityProfile,
    responses={404: {"model": Problem, "description": "no such entity"}},
)
def get_entity(
    entity_id: Annotated[str, Path(max_length=200, examples=["alibaba-cloud"])],
    driver: DriverDep,
    neo4j: Neo4jSettingsDep,
    settings: SettingsDep,
) -> EntityProfile:
    """An entity's names, aliases, mention count and latest observations with their sources."""
    found = reader.entity_profile(driver, entity_id, neo4j.database, settings.query_timeout_s)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    ent = plain(found["entity"])
    kind = next((_KINDS[lbl] for lbl in found["labels"] if lbl in _KINDS), "company")
    known = {"id", "name", "name_zh", "name_en", "aliases", "kb", "search_terms"}
    return EntityProfile(
        id=ent["id"],
        kind=kind,
        name=ent.get("name"),
        name_zh=ent.get("name_zh"),
        name_en=ent.get("name_en"),
        aliases=ent.get("aliases") or [],
        kb=bool(ent.get("kb")),
        mention_count=found["mentions"],
        article_count=found["articles"],
        latest_observations=[
            ObservationOut(**{**plain(o["obs"]), "article_id": o["article_id"],
                              "article_url": o["article_url"],
                              "article_title": o["article_title"],
                              "published_at": plain(o["published_at"])})
            for o in found["observations"]
        ],
        properties={k: v for k, v in ent.items() if k not in known},
    )
