"""A cold `dhr docs pack` of the demo's published case, as a user runs it (issue 17 item 5; target: at most 10 s).

Run: python -m bench.pack [--runs 3]

Seeds the demo partnership into a throwaway SQLite database once and keeps a copy of it. Each run restores that
copy, so no toolkit file has been made yet (cold: every document rendered, in HTML, PDF/UA-1, Word and text), then
times the whole `dhr docs pack REF -o FILE` command from a new process. The same pack again on the same database
(warm: every file stored, nothing rendered) and `python -c "import weasyprint"` run in the same loop as baselines,
so machine load hits them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
DHR = "import sys; from dhr_workflow.cli.app import main; sys.argv[0] = 'dhr'; main()"


def dhr(*args: str) -> list[str]:
    return [sys.executable, "-c", DHR, *args]


def seed_published_case(env: dict[str, str]) -> str:
    subprocess.run(dhr("db", "upgrade"), env=env, check=True, capture_output=True)
    subprocess.run(dhr("demo"), env=env, check=True, capture_output=True)
    listing = subprocess.run(dhr("case", "list", "--json"), env=env, check=True, capture_output=True, text=True)
    return next(c["ref"] for c in json.loads(listing.stdout) if c["stage"] == "Lessons learned")


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        env = {**os.environ, "DHR_DATABASE_URL": f"sqlite:///{database}", "DHR_CACHE_DIR": str(Path(tmp) / "cache")}
        ref = seed_published_case(env)
        seeded = Path(tmp) / "seeded.sqlite3"
        shutil.copyfile(database, seeded)
        pack = dhr("docs", "pack", ref, "-o", str(Path(tmp) / "pack.zip"))
        samples: dict[str, list[float]] = {"weasyprint import": [], "cold pack": [], "warm pack": []}
        for _ in range(args.runs):
            samples["weasyprint import"].append(_timed([sys.executable, "-c", "import weasyprint"], env))
            for suffix in ("-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(seeded, database)
            samples["cold pack"].append(_timed(pack, env))
            samples["warm pack"].append(_timed(pack, env))
    print(f"dhr docs pack {ref}, median of {args.runs} runs (interleaved), SQLite, {os.cpu_count()} CPUs")
    for name, values in samples.items():
        print(f"{name:<20} {statistics.median(values):7.2f} s   (min {min(values):.2f} s)")
    cold = statistics.median(samples["cold pack"])
    print(f"target: a cold pack in at most {TARGET_SECONDS:.0f} s: {'met' if cold <= TARGET_SECONDS else 'missed'}")


if __name__ == "__main__":
    main()
