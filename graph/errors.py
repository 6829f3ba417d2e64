"""One exception root for the graph package."""


class GraphError(Exception):
    """Base of every error raised by graph/."""


class EmbeddedNeo4jError(GraphError):
    """The embedded Neo4j could not be built, started or stopped."""


class QueryRejected(GraphError):
    """A query was refused before execution (write clause in a read-only endpoint, …)."""
