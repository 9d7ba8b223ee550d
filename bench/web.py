"""Web benchmark: the case list and the case page with 10,000 cases, measured with an HTTP load generator (httpx)
against a real `dhr serve` on loopback, SQLite. The baseline is /healthz on the same server in the same run.

    python -m bench.web [--cases 10000] [--requests 300] [--concurrency 4]

The cases are made by walking a few through the real services (demo seed), then cloning their rows in bulk with
new references: the same row shapes and clocks, at 10,000 cases, in seconds rather than the hour that 10,000
notify_case calls would take."""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, select

PASSWORD = "bench-password-123"
TABLES_TO_CLONE = ("party", "clock", "case_member")


def build_database(url: str, n_cases: int) -> list[str]:
    from dhr_workflow.cases.tables import Case
    from dhr_workflow.core.context import build_context
    from dhr_workflow.core.migrate import upgrade
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.core.tables import metadata
    from dhr_workflow.demo.seed import seed

    upgrade(url)
    ctx = build_context(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
    seed(ctx, PASSWORD)
    with ctx.db.write() as session:
        templates = list(session.scalars(select(Case)))
        children = {name: metadata.tables[name] for name in TABLES_TO_CLONE}
        child_rows = {
            name: [dict(r._mapping) for r in session.execute(select(table))] for name, table in children.items()
        }
        case_table = metadata.tables["review_case"]
        next_id = max(c.id or 0 for c in templates) + 1
        new_cases, new_children = [], {name: [] for name in TABLES_TO_CLONE}
        for i in range(n_cases - len(templates)):
            source = templates[i % len(templates)]
            row = {c.name: getattr(source, c.key if hasattr(source, c.key) else c.name) for c in case_table.columns}
            row.update(id=next_id, ref=f"BEN-{2000 + i // 900}-{i % 900 + 1:03d}", version=1)
            new_cases.append(row)
            for name, rows in child_rows.items():
                for child in rows:
                    if child["case_id"] == source.id:
                        new_children[name].append({**child, "id": None, "case_id": next_id})
            next_id += 1
        session.execute(insert(case_table), new_cases)
        for name, rows in new_children.items():
            for row in rows:
                row.pop("id")
            if rows:
                session.execute(insert(children[name]), rows)
    ctx.db.dispose()
    return [r["ref"] for r in new_cases]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DHR_DATABASE_URL": url, "DHR_REDIS_URL": ""}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from dhr_workflow.cli.app import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def signed_in_client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post(
        "/login", data={"email": "coordinator@demo.example", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.status_code
    return client


def measure(clients: list[httpx.Client], paths: list[str]) -> list[float]:
    """Send every path once, spread over the clients in parallel threads; milliseconds per request."""
    timings: list[float] = []
    lock = threading.Lock()
    chunks = [paths[i :: len(clients)] for i in range(len(clients))]

    def run(client: httpx.Client, chunk: list[str]) -> None:
        for path in chunk:
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=run, args=(c, chunk)) for c, chunk in zip(clients, chunks, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def report(name: str, timings: list[float], baseline: float) -> None:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    ratio = median / baseline
    print(f"{name:<26} n={len(ordered):>4}  median {median:6.1f} ms  p95 {p95:6.1f} ms  x{ratio:4.1f} baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        start = time.perf_counter()
        refs = build_database(url, args.cases)
        print(f"built {args.cases} cases in {time.perf_counter() - start:.1f} s")
        port = free_port()
        server = start_server(url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            clients = [signed_in_client(base) for _ in range(args.concurrency)]
            measure(clients, ["/cases", "/healthz"] * 10)  # warm up
            rnd = random.Random(7)
            n = args.requests
            healthz = measure(clients, ["/healthz"] * n)
            baseline = statistics.median(healthz)
            report("baseline GET /healthz", healthz, baseline)
            report("GET /cases (page 1)", measure(clients, ["/cases"] * n), baseline)
            pages = [f"/cases?page={rnd.randint(1, args.cases // 50)}" for _ in range(n)]
            report("GET /cases?page=N", measure(clients, pages), baseline)
            report("GET /cases?overdue=true", measure(clients, ["/cases?overdue=true"] * n), baseline)
            report("GET / (dashboard)", measure(clients, ["/"] * n), baseline)
            report("GET /cases/{ref}", measure(clients, [f"/cases/{rnd.choice(refs)}" for _ in range(n)]), baseline)
            print(f"{args.concurrency} concurrent clients, loopback, SQLite, one uvicorn worker")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
