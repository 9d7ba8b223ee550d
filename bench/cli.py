"""How long the everyday read commands take from a cold process, as a ratio against importing SQLAlchemy alone.

Run: python -m bench.cli [--runs 15]

Each command runs as its own subprocess (what a user waits for at the prompt: interpreter start, imports, reading
the workflow definitions, the query, the table), against the demo partnership seeded into a throwaway SQLite
database. The baseline, `python -c "import sqlalchemy"`, runs interleaved with the commands in the same loop, so
machine load hits both alike. Target (issue 17): each command at most 1.5x the baseline, and at most 0.3 s on an
idle machine. One untimed run of each command first fills the on-disk cache of parsed workflow files and bank
holidays (dhr_workflow/core/disk_cache.py), as any earlier command on the machine would have.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DHR = "import sys; from dhr_workflow.cli.app import main; sys.argv[0] = 'dhr'; main()"
TARGET_RATIO = 1.5
TARGET_SECONDS = 0.3


def _dhr(*args: str) -> list[str]:
    return [sys.executable, "-c", DHR, *args]


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _seed(env: dict[str, str]) -> str:
    subprocess.run(_dhr("db", "upgrade"), env=env, check=True, capture_output=True)
    subprocess.run(_dhr("demo"), env=env, check=True, capture_output=True)
    listing = subprocess.run(_dhr("case", "list", "--json"), env=env, check=True, capture_output=True, text=True)
    cases = json.loads(listing.stdout)
    published = [c["ref"] for c in cases if c["state"] == "published"]
    return (published or [cases[0]["ref"]])[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DHR_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "DHR_CACHE_DIR": str(Path(tmp) / "cache"),
            "COLUMNS": "80",
        }
        ref = _seed(env)
        commands = {
            'python -c "import sqlalchemy" (baseline)': [sys.executable, "-c", "import sqlalchemy"],
            "dhr case list": _dhr("case", "list"),
            f"dhr case show {ref}": _dhr("case", "show", ref),
            f"dhr docs list {ref}": _dhr("docs", "list", ref),
        }
        for argv in commands.values():
            _run(argv, env)  # warm: the page cache, and our on-disk cache
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(_run(argv, env))
    medians = {name: statistics.median(s) for name, s in samples.items()}
    baseline = next(iter(medians.values()))
    print(f"CLI start-up, median of {args.runs} runs each (interleaved), SQLite, demo partnership")
    print(f"{'command':<44} {'median':>9} {'min':>9} {'x baseline':>11}")
    for name, median in medians.items():
        ratio = median / baseline
        flag = "" if name.endswith("(baseline)") else ("  ok" if ratio <= TARGET_RATIO else "  over target")
        print(f"{name:<44} {median * 1000:>7.0f}ms {min(samples[name]) * 1000:>7.0f}ms {ratio:>10.2f}x{flag}")
    print(f"target: at most {TARGET_RATIO}x the baseline, and {TARGET_SECONDS} s on an idle machine")


if __name__ == "__main__":
    main()
