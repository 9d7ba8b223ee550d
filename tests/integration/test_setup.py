"""The set-up: scripts/setup-system.sh finds what is installed however much its probes print and asks for no Docker
package; `make demo` keeps its database inside the checkout and serves on the port given.

Each run of the script sees only fake probes (fc-list, ldconfig, dot, redis-server, npm) and a non-root `id`, so it
installs nothing and names on stderr what it would install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "setup-system.sh"


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


def run_setup(tmp_path: Path, fonts: str) -> subprocess.CompletedProcess[str]:
    """`fonts` is what `fc-list` prints first; many more lines follow, as on a machine with many fonts."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "grep", "head", "yes"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or tool)
    fake(bin_dir, "fc-list", f"echo '{fonts}'\nyes 'Noto Sans' | head -n 200000")
    fake(
        bin_dir,
        "ldconfig",
        "echo 'libpangoft2-1.0.so.0 (libc6,x86-64) => /lib/libpangoft2-1.0.so.0'\n"
        "yes 'libz.so.1 (libc6,x86-64) => /lib/libz.so.1' | head -n 200000",
    )
    for tool in ("dot", "redis-server", "npm"):
        fake(bin_dir, tool, "exit 0")
    fake(bin_dir, "id", "echo 1000")  # not root: the script says what to install instead of installing it
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)], env={"PATH": str(bin_dir)}, capture_output=True, text=True, timeout=120
    )


def test_installed_fonts_and_pango_are_found_however_long_the_listings(tmp_path):
    result = run_setup(tmp_path, "DejaVu Sans")
    assert result.returncode == 0, result.stderr
    assert "fonts-dejavu-core" not in result.stderr and "libpango" not in result.stderr, result.stderr


def test_a_missing_font_is_named_and_no_docker_package_is(tmp_path):
    result = run_setup(tmp_path, "Liberation Serif")
    assert result.returncode == 0, result.stderr
    assert "Please install: " in result.stderr and "fonts-dejavu-core" in result.stderr
    assert "docker" not in result.stderr.lower()


def make_demo(*overrides: str) -> list[str]:
    """`make demo` with `dhr` replaced by a command printing the settings each step would get, then the step."""
    outer = ("PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")  # from a `make test` running this test
    env = {k: v for k, v in os.environ.items() if k not in outer} | {"DHR_DATABASE_URL": "sqlite:////elsewhere.sqlite3"}
    result = subprocess.run(
        [
            shutil.which("make") or "make",
            "-s",
            "-o",
            "setup",
            "demo",
            *overrides,
            "DHR=printenv DHR_DATABASE_URL DHR_BASE_URL; echo",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_demo_keeps_its_database_in_this_checkout_and_serves_on_the_port_given():
    lines = make_demo("PORT=8123")
    database = f"sqlite:///{ROOT}/var/dhr-demo.sqlite3"
    assert lines == [database, "http://127.0.0.1:8123", "db upgrade"] + [database, "http://127.0.0.1:8123", "demo"] + [
        database,
        "http://127.0.0.1:8123",
        "serve --host 127.0.0.1 --port 8123",
    ]
    assert (ROOT / "var").is_dir()


def test_make_demo_serves_on_port_8000_by_default():
    assert make_demo()[-1] == "serve --host 127.0.0.1 --port 8000"
