"""A non-editable install finds workflows/, templates/, the migrations and GOV.UK Frontend's built assets (they ship
inside the wheel), and serves its web app from a fresh virtualenv with no checkout and no npm."""

from __future__ import annotations

import os
import re
import shutil
import site
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.single_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("dhr_workflow-*.whl")
    return built


def test_the_wheel_carries_the_workflows_templates_and_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "dhr_workflow/_data/workflows/dhr.yaml" in names
    assert any(n.startswith("dhr_workflow/_data/templates/") for n in names)
    assert "dhr_workflow/_data/templates/documents/typst/document.typ" in names  # the chronology's PDF layout
    assert any(
        n.startswith("dhr_workflow/core/migrations/versions/") and n.endswith("_0001_core_engine_tables.py")
        for n in names
    )
    assert "dhr_workflow/core/migrations/script.py.mako" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_the_wheel_carries_gov_uk_frontend_6_3_0_with_its_licence(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assets = "dhr_workflow/_data/govuk-frontend/"
    assert f"{assets}dist/govuk/govuk-frontend.min.css" in names
    assert f"{assets}dist/govuk/assets/images/favicon.ico" in names
    assert '"version": "6.3.0"' in archive.read(f"{assets}package.json").decode()
    assert "MIT License" in archive.read(f"{assets}LICENSE.txt").decode()
    assert not any(n.startswith("node_modules/") for n in names)


def test_a_wheel_built_from_the_sdist_carries_gov_uk_frontend_too(tmp_path: Path) -> None:
    build = "import sys; from hatchling.build import build_sdist; build_sdist(sys.argv[1])"
    subprocess.run([sys.executable, "-c", build, str(tmp_path)], cwd=ROOT, check=True, timeout=300)
    [sdist] = tmp_path.glob("dhr_workflow-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    [source] = (tmp_path / "unpacked").iterdir()
    out = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("dhr_workflow-*.whl")
    assert "dhr_workflow/_data/govuk-frontend/dist/govuk/govuk-frontend.min.css" in zipfile.ZipFile(built).namelist()


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding only the wheel; the dependencies come from this test's own environment through a
    .pth file read after the new site-packages, so the installed package, not the checkout, is imported."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def isolated_env(tmp: Path) -> dict[str, str]:
    """No checkout on sys.path, no npm on PATH, no DHR_* settings but a database and a home of the test's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DHR_", "PYTHON", "VIRTUAL_ENV")) and key != "PATH"
    }
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "npm").exists()]
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(
        PATH=os.pathsep.join(path),
        HOME=str(home),
        DHR_DATABASE_URL=f"sqlite:///{tmp / 'dhr.sqlite3'}",
        DHR_HANDOFF_DIR=str(tmp / "smtp-handoff"),
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
        return response.status, response.headers.get("content-type", ""), response.read().decode()


def wait_for(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"dhr serve exited before it answered: {log.read_text()}"
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"dhr serve did not answer {url} within {seconds} s")


def test_the_installed_wheel_migrates_seeds_and_serves_pages_with_their_stylesheet(installed: Path, tmp_path: Path):
    env, dhr = isolated_env(tmp_path), installed / "bin" / "dhr"
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import dhr_workflow; print(dhr_workflow.__file__)"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed), where
    assert not (Path(where).parents[1] / "node_modules").exists()

    for step in (["db", "upgrade"], ["demo", "--password", "a-long-demo-password"]):
        done = subprocess.run([str(dhr), *step], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [str(dhr), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, log_path)
        status, content_type, page = get(f"http://127.0.0.1:{port}/login")
        assert status == 200 and content_type.startswith("text/html")
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheets  # GOV.UK Frontend's and the service's own (templates/web/static/app.css)
        served = []
        for stylesheet in stylesheets:  # every one the page names comes with the wheel
            status, content_type, css = get(f"http://127.0.0.1:{port}{stylesheet}")
            assert status == 200 and content_type.startswith("text/css"), stylesheet
            served.append(css)
        assert any(".govuk-header" in css for css in served)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_the_installed_wheel_without_its_assets_says_so_in_one_line(installed: Path, tmp_path: Path):
    env = isolated_env(tmp_path) | {"DHR_GOVUK_FRONTEND_DIR": str(tmp_path / "missing")}
    result = subprocess.run(
        [str(installed / "bin" / "dhr"), "serve", "--port", str(free_port())],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "GOV.UK Frontend" in result.stderr and "DHR_GOVUK_FRONTEND_DIR" in result.stderr


def dockerfile_stages() -> dict[str, list[str]]:
    """The Dockerfile's instructions by stage name (the last, unnamed stage is "image")."""
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines():
        if line.startswith("FROM "):
            words = line.split()
            current = stages.setdefault(words[3] if len(words) > 3 else "image", [line])
        elif line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return stages


def test_the_dockerfile_builds_the_assets_in_a_node_stage_and_the_wheel_from_what_it_copies(tmp_path: Path):
    stages = dockerfile_stages()
    assert stages["assets"][0].startswith("FROM node:") and any("npm ci" in i for i in stages["assets"])
    assert not any("node" in i or "npm" in i for i in stages["image"][1:] if not i.startswith("COPY --from=wheel"))
    # Build the wheel from exactly what the wheel stage copies (the node stage's govuk-frontend from node_modules).
    context = tmp_path / "src"
    context.mkdir()
    for instruction in stages["wheel"]:
        if instruction.startswith("COPY --from=assets "):
            destination = instruction.split()[-1]
            source = ROOT / "node_modules" / "govuk-frontend"
        elif instruction.startswith("COPY "):
            *sources, destination = instruction.split()[1:]
            for source_name in sources:
                copy_into(ROOT / source_name, context / destination)
            continue
        else:
            continue
        copy_into(source, context / destination)
    out = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(context)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("dhr_workflow-*.whl")
    assert "dhr_workflow/_data/govuk-frontend/dist/govuk/govuk-frontend.min.css" in zipfile.ZipFile(built).namelist()


def copy_into(source: Path, destination: Path) -> None:
    """Docker's COPY: a directory's contents into the destination, a file into an existing destination folder."""
    if source.is_dir():
        shutil.copytree(source, destination, dirs_exist_ok=True)
    else:
        target = destination / source.name if destination.is_dir() else destination
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
