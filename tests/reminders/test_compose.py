"""docker-compose.yml is a valid Compose file with every service the distributed set-up needs, checked offline."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

REPO = Path(__file__).resolve().parents[2]
# The Compose specification's JSON schema, as Debian's docker-compose 1.29 ships it (Apache-2.0).
SCHEMA = Path(__file__).with_name("data") / "compose-spec.json"

pytestmark = pytest.mark.single_db


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_the_compose_file_matches_the_compose_specification():
    schema = json.loads(SCHEMA.read_text())
    validator = Draft201909Validator(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(_compose())]
    assert not errors


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


def test_docker_compose_accepts_the_file_where_the_client_exists():
    client = shutil.which("docker-compose")
    if client is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose); the schema test still ran")
    result = subprocess.run(
        [client, "-f", str(REPO / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_every_worker_shares_one_smtp_handoff_journal():
    """ADR 0014: a worker picking up another's cut-off send must read the journal that send wrote to."""
    compose = _compose()
    worker = compose["services"]["worker"]
    journal = worker["environment"]["DHR_HANDOFF_DIR"]
    volume, _, mounted_at = next(v for v in worker["volumes"] if v.endswith(journal)).partition(":")
    assert mounted_at == journal and volume in compose["volumes"]
    assert journal in (REPO / "Dockerfile").read_text()  # created in the image, owned by the unprivileged user
