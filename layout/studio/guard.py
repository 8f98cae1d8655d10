"""Requests from anywhere but this server's own page are refused (DNS rebinding, other sites' scripts)."""
from __future__ import annotations

LOCAL_NAMES = ("127.0.0.1", "localhost")


def allowed(host: str | None, origin: str | None, port: int) -> bool:
    """True when the Host header names this server (127.0.0.1 or localhost on its port) and the Origin,
    when the browser sends one, is this server's own."""
    if not host or host not in {f"{name}:{port}" for name in LOCAL_NAMES}:
        return False
    if origin is None:
        return True
    return origin in {f"http://{name}:{port}" for name in LOCAL_NAMES}
