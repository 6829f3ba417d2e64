"""spaCy components of the Tokenwatch pipelines. Importing this package registers the factories
(`tokenwatch_kb_entities`, `tokenwatch_policies`, `tokenwatch_token_metrics`, `tokenwatch_risks`),
the versioned rule builders they use (`tokenwatch.kb_entities.v1`, … in `registry.misc`)
and the Doc extensions they assign."""

from nlp.components import entities, metrics, policies, risks
from nlp.components.extensions import register_extensions

register_extensions()

__all__ = ["entities", "metrics", "policies", "register_extensions", "risks"]
