"""Risk alerts: rules (pure), evaluation against the new facts of each ingest batch, and
webhook delivery (Standard Webhooks signing, a durable outbox in Neo4j, retries, SSRF guard)."""
