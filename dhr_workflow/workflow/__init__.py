"""Workflow definitions (data) and the engine that runs them. Imports `transitions` and pydantic; no I/O."""
