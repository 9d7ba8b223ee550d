"""Pure domain logic: the standard library only, no I/O, no frameworks (enforced by tests/unit/test_architecture.py)."""
