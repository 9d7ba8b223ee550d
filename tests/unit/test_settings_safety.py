"""Outside development the built-in secret key and audit key are refused, whatever the environment is called."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from dhr_workflow.core.audit_keys import assert_safe
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import UnsafeSettings
from dhr_workflow.core.settings import Settings

GOOD_SECRET = SecretStr("a-long-random-secret-key-for-the-tests-0123456789")
GOOD_AUDIT = SecretStr("a-long-random-audit-key-for-the-tests-0123456789")


def _settings(**kw: object) -> Settings:
    return Settings(_env_file=None, **kw)  # type: ignore[call-arg]


@pytest.mark.parametrize("environment", ["production", "Production", " PRODUCTION ", "prod", "staging", "test"])
def test_the_development_secret_key_is_refused_in_any_other_environment(environment: str) -> None:
    with pytest.raises(UnsafeSettings, match="DHR_SECRET_KEY"):
        assert_safe(_settings(environment=environment, audit_key=GOOD_AUDIT))


def test_the_development_audit_key_is_refused_outside_development() -> None:
    with pytest.raises(UnsafeSettings, match="DHR_AUDIT_KEY"):
        assert_safe(_settings(environment="production", secret_key=GOOD_SECRET))


def test_development_may_use_the_built_in_keys_and_production_with_real_keys_is_accepted() -> None:
    assert_safe(_settings(environment="development"))
    assert_safe(_settings(environment="production", secret_key=GOOD_SECRET, audit_key=GOOD_AUDIT))


def test_serve_refuses_to_start_with_a_clear_message_not_a_traceback(ctx: AppContext, cli) -> None:
    ctx.settings.environment = "production"
    result = cli("serve")
    assert result.exit_code == 3
    assert "DHR_SECRET_KEY must be set" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
