"""The FastAPI app factory: pages, the /api/v1 JSON API, GOV.UK Frontend assets, security headers and the mapping
of service errors to HTTP responses."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dhr_workflow.cases.queries import known_states
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotInstalled
from dhr_workflow.core.paths import govuk_frontend_dir, templates_dir
from dhr_workflow.web import (
    api,
    api_agencies,
    api_findings,
    errors,
    pages_accuracy,
    pages_admin,
    pages_agencies,
    pages_auth,
    pages_case_forms,
    pages_cases,
    pages_chronology,
    pages_commentary,
    pages_documents,
    pages_family,
    pages_findings,
    pages_info,
    pages_lessons,
    pages_panel,
    pages_plan_forms,
    pages_plan_meetings,
    pages_public,
    pages_retention,
    pages_site,
    security,
)
from dhr_workflow.web.branding import branding_for
from dhr_workflow.web.lifespan import DEFAULT_HOOKS, StartupHook, lifespan_for
from dhr_workflow.web.limits import RateLimiter
from dhr_workflow.web.pages_auth import ATTEMPTS_PER_MINUTE
from dhr_workflow.web.templating import page_environment


def govuk_assets_dir(override: Path | None = None) -> Path:
    """GOV.UK Frontend's built files: inside the installed package (the wheel carries them), `node_modules/` of a
    checkout after `npm ci` (scripts/setup-system.sh), or DHR_GOVUK_FRONTEND_DIR."""
    return govuk_frontend_dir(override)


def create_app(ctx: AppContext, hooks: tuple[StartupHook, ...] = DEFAULT_HOOKS) -> FastAPI:
    app = FastAPI(
        title="dhr-workflow API",
        version="1",
        description="Cases, clocks and tasks of Domestic Homicide Reviews. Authenticate with a personal API token "
        "(`dhr token create --user EMAIL`) as `Authorization: Bearer TOKEN`.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan_for(hooks),
    )
    app.state.ctx = ctx
    app.state.templates = page_environment(ctx.settings.templates_dir)
    app.state.branding = branding_for(ctx.settings)
    app.state.sign_in_limiter = RateLimiter(ATTEMPTS_PER_MINUTE)
    app.state.account_limiter = RateLimiter(ctx.settings.sign_ins_per_account_per_minute)
    app.state.access_client_limiter = RateLimiter(ctx.settings.access_requests_per_client_per_hour, 3600.0)
    app.state.access_overall_limiter = RateLimiter(ctx.settings.access_requests_per_hour, 3600.0)
    assets = govuk_assets_dir(ctx.settings.govuk_frontend_dir)
    if not (assets / "govuk-frontend.min.css").is_file():
        raise NotInstalled(
            f"GOV.UK Frontend's assets are missing at {assets}: in a checkout run `bash scripts/setup-system.sh`; "
            "otherwise install a wheel built after `npm ci`, or set DHR_GOVUK_FRONTEND_DIR to the dist/govuk folder "
            "of govuk-frontend 6.3.0"
        )
    app.mount("/assets", StaticFiles(directory=assets / "assets"), name="assets")
    app.mount("/govuk", StaticFiles(directory=assets), name="govuk")
    own_static = templates_dir(ctx.settings.templates_dir) / "web" / "static"
    app.mount("/static", StaticFiles(directory=own_static), name="static")
    security.install(app)
    errors.install(app)
    for router in (
        pages_public.router,
        pages_info.router,
        pages_auth.router,
        pages_cases.router,
        pages_case_forms.router,
        pages_panel.router,
        pages_findings.router,
        pages_family.router,
        pages_agencies.router,
        pages_accuracy.router,
        pages_chronology.router,
        pages_admin.router,
        pages_retention.router,
        pages_documents.router,
        pages_plan_forms.router,
        pages_plan_meetings.router,
        pages_lessons.router,
        pages_commentary.router,
        pages_site.router,
        api.router,
        api_agencies.router,
        api_findings.router,
    ):
        app.include_router(router)
    api.document_states(app, known_states(ctx))
    return app
