"""A real SMTP server (aiosmtpd) in the test process that keeps every message it accepts, and a GOV.UK Notify v2 stub.

Both count what they received, so tests can assert "exactly once" on what a recipient would actually get.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        data = envelope.original_content or envelope.content
        with self.lock:
            self.raw.append(data)
            self.messages.append(email.message_from_bytes(data, policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def message_ids(self) -> Counter[str]:
        with self.lock:
            return Counter(str(m["Message-ID"]) for m in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


@dataclass
class NotifyStub:
    """POST /v2/notifications/email|sms and GET /v2/notifications?reference=..., answering from `answers` first."""

    answers: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    def start(self) -> NotifyStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = stub.answers.pop(0) if stub.answers else 201
                stub.received.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization", ""), "status": status}
                )
                if status == 201:
                    self._reply(201, {"id": str(uuid.uuid4()), "reference": body.get("reference")})
                else:
                    error = {400: "BadRequestError", 403: "AuthError", 429: "RateLimitError"}.get(status, "Exception")
                    self._reply(
                        status, {"status_code": status, "errors": [{"error": error, "message": "stub says no"}]}
                    )

            def do_GET(self) -> None:  # noqa: N802
                from urllib.parse import parse_qs, urlparse

                reference = parse_qs(urlparse(self.path).query).get("reference", [""])[0]
                found = [
                    {"id": f"notify-{i}", "reference": r["body"].get("reference")}
                    for i, r in enumerate(stub.received)
                    if r["status"] == 201 and r["body"].get("reference") == reference
                ]
                self._reply(200, {"notifications": found, "links": {}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sent(self) -> list[dict[str, Any]]:
        return [r for r in self.received if r["status"] == 201]


NOTIFY_TEST_KEY = f"dhr_test-{uuid.UUID(int=1)}-{uuid.UUID(int=2)}"
