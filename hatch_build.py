"""Wheel build hook: GOV.UK Frontend's built assets (`dist/govuk` of the npm package pinned in package.json) and
their licence go into the wheel, so an installed package serves its own web app with no checkout and no npm
(dhr_workflow.core.paths.govuk_frontend_dir finds them there). npm is a build-time tool only: run `npm ci` (or
`bash scripts/setup-system.sh`) before building. Editable installs serve `node_modules/` of the checkout instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

INSIDE_WHEEL = "dhr_workflow/_data/govuk-frontend"


class GovukFrontendAssets(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]["govuk-frontend"]
        package = root / "node_modules" / "govuk-frontend"
        dist = package / "dist" / "govuk"
        if not (dist / "govuk-frontend.min.css").is_file():
            raise RuntimeError(f"GOV.UK Frontend's built assets are missing at {dist}: run `npm ci` before building")
        found = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        if found != pinned:
            raise RuntimeError(f"node_modules has govuk-frontend {found}, package.json pins {pinned}: run `npm ci`")
        build_data["force_include"][str(dist)] = f"{INSIDE_WHEEL}/dist/govuk"
        build_data["force_include"][str(package / "package.json")] = f"{INSIDE_WHEEL}/package.json"
        build_data["force_include"][str(root / "LICENSES" / "govuk-frontend.txt")] = f"{INSIDE_WHEEL}/LICENSE.txt"
