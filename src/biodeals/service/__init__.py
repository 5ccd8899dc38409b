"""The service layer: ingest into the knowledge base and query it. CLI, API and web call these
functions; they return plain data (dicts and lists) ready to print or serialise."""
