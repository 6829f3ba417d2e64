"""Typed reads, one module per area.

Each module holds its area's read models (frozen pydantic models built from one record, with
Neo4j temporals made native by `graph.temporal`) and the functions that run the area's Cypher
(`graph.cypher.<area>`) in one managed read transaction with the server-side timeout. A new
read endpoint touches three files: the Cypher module, the reads module, and the route module
in `api/routes/` that declares its response schema.
"""
