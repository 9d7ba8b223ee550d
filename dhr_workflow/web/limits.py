"""Abuse limits (issue 16): sliding-window rate limiters kept in memory per process, and the client's address, taken
from proxy headers only when the request comes from a proxy named in DHR_TRUSTED_PROXIES.

Behind the recommended TLS proxy every request arrives from the proxy's address; without trusting its
`X-Forwarded-For` every user would share one limit. Trusting the header from anyone else would let a client choose
its own address, so the header is read only from the named proxies, right to left, skipping trusted hops."""

from __future__ import annotations

import ipaddress
import time
from collections import defaultdict, deque

from fastapi import Request

MAX_KEYS = 50_000  # forget idle keys beyond this many, so a flood of addresses cannot grow memory without bound


class RateLimiter:
    """At most `limit` attempts per `window` seconds for one key (a client address, an account, or "all")."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        if len(self._seen) > MAX_KEYS:
            self._forget_idle(now)
        seen = self._seen[key]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again (at least 1)."""
        seen = self._seen.get(key)
        if not seen:
            return 1
        return max(1, int(self.window - (time.monotonic() - seen[0])) + 1)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, seen in self._seen.items() if not seen or now - seen[-1] > self.window]:
            del self._seen[key]


def _networks(spec: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network | str]:
    found: list[ipaddress.IPv4Network | ipaddress.IPv6Network | str] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            found.append(item)  # a host name, as some servers report it (the test client's "testclient")
    return found


def _is_trusted(address: str, trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network | str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address in trusted
    return any(not isinstance(net, str) and ip.version == net.version and ip in net for net in trusted)


def client_address(request: Request) -> str:
    """The address a request came from: the peer, or (when the peer is a trusted proxy) the nearest untrusted address
    in X-Forwarded-For."""
    peer = request.client.host if request.client else "unknown"
    trusted = _networks(request.app.state.ctx.settings.trusted_proxies)
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop[:64]
    return peer
