"""Writes of information monitoring, by topic: ingestion, sources and tips (ingest, sources,
tips, retention), the handling of narratives (handling) and the known false claims (claims)."""
