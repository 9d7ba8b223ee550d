"""docker-compose.yml is a valid Compose file with every service the distributed set-up needs, checked offline
against the Compose specification's JSON schema: no Docker packages needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

REPO = Path(__file__).resolve().parents[2]
# The Compose specification's JSON schema from PyPI's docker-compose 1.29.2 (Apache-2.0; origin in data/README.md).
SCHEMA = Path(__file__).with_name("data") / "compose-spec.json"

pytestmark = pytest.mark.single_db


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def compose_errors(compose: dict) -> list[str]:
    validator = Draft201909Validator(json.loads(SCHEMA.read_text()))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(compose)]


def test_the_compose_file_matches_the_compose_specification():
    assert not compose_errors(_compose())


def test_the_specification_check_names_a_misspelt_key_and_a_wrong_type():
    compose = _compose()
    compose["services"]["web"]["dependson"] = compose["services"]["web"].pop("depends_on")
    compose["services"]["worker"]["ports"] = "8000"
    errors = compose_errors(compose)
    assert any(e.startswith("services/web:") and "dependson" in e for e in errors), errors
    assert any(e.startswith("services/worker/ports:") for e in errors), errors


def test_the_compose_file_runs_every_part_with_healthchecks_and_migrates_first():
    services = _compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit", "migrate"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "mailpit"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DHR_REDIS_URL"].startswith("redis://")
    assert services["migrate"]["command"] == ["dhr", "db", "upgrade"]
    assert (REPO / services["web"]["build"] / "Dockerfile").is_file()


def test_every_worker_shares_one_smtp_handoff_journal():
    """ADR 0014: a worker picking up another's cut-off send must read the journal that send wrote to."""
    compose = _compose()
    worker = compose["services"]["worker"]
    journal = worker["environment"]["DHR_HANDOFF_DIR"]
    volume, _, mounted_at = next(v for v in worker["volumes"] if v.endswith(journal)).partition(":")
    assert mounted_at == journal and volume in compose["volumes"]
    assert journal in (REPO / "Dockerfile").read_text()  # created in the image, owned by the unprivileged user
