"""Defaults shared by the readers, the ingest and the command line (kept in a module that
imports nothing, so the CLI starts fast)."""

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_BATCH = 200  # documents per ingest transaction
DEFAULT_PARTITION = 200  # documents (files, lines, rows) per partition of a cluster ingest; benchmarks/scale.py
DEFAULT_TIME_LIMIT = 30.0  # seconds one document's extraction may take before it is given up as timed out
