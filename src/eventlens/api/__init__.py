"""HTTP API and dashboard server: ``create_app(settings)`` and ``serve(settings, host, port)``."""

from __future__ import annotations

from eventlens.api.app import create_app, serve

__all__ = ["create_app", "serve"]
