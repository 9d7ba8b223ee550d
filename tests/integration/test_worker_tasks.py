"""The Celery app that `dhr worker` runs carries every task the features hand to it."""

from __future__ import annotations

import pytest

from dhr_workflow.core.settings import Settings

pytestmark = pytest.mark.single_db


def test_the_worker_app_runs_reminder_delivery_and_document_rendering() -> None:
    from notifications.celery_app import make_celery

    app = make_celery(Settings(redis_url="redis://127.0.0.1:6379/15", _env_file=None))  # type: ignore[call-arg]
    app.finalize()
    assert {"dhr.sweep", "dhr.deliver", "dhr.documents.render"} <= set(app.tasks)
