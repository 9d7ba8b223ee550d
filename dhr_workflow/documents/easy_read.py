"""Where a template's Easy Read version lives, answered from the file system alone: the catalogue (and so
`dhr docs list`) needs it without the rendering pipeline, which brings the HTML reader and asyncio (issue 17)."""

from __future__ import annotations

from pathlib import Path

from dhr_workflow.core.paths import templates_dir


def easy_read_name(template: str) -> str:
    folder, _, name = template.rpartition("/")
    return f"{folder}/easy-read/{name}" if folder else f"easy-read/{name}"


def has_easy_read(template: str, root: Path | None = None) -> bool:
    # The environment loads templates from one folder (documents/environment.py), so a file check answers without
    # importing Jinja2 or compiling the template.
    return (Path(root or templates_dir()) / easy_read_name(template)).is_file()
