"""The FastAPI application: JSON API, dashboard pages, vendored static files, offline API docs.

``create_app(settings)`` opens (and migrates) the store named by the settings; ``serve``
runs it with uvicorn. Nothing is loaded from a CDN: Swagger UI's files are vendored under
``web/static/vendor/swagger-ui`` and served by the app itself.
"""

from __future__ import annotations

import errno
import logging
import socket
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from eventlens.api.deps import AppState
from eventlens.config import Settings
from eventlens.errors import ConfigError, ReviewError, StoreError

__all__ = ["create_app", "serve"]

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
#: Pages may load scripts only from this server; only the Swagger page needs an inline script.
_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'{inline}; connect-src 'self'; frame-ancestors 'none'; form-action 'self'")


def create_app(settings: Settings, *, read_requires_token: bool | None = None) -> FastAPI:
    """The eventlens web app over the store in ``settings``.

    Reads are open unless ``read_requires_token`` (or the setting ``api_read_requires_token``
    when the Settings object has it) is true; every write needs a reviewer token or session.
    """
    from eventlens.api import routes, web
    from eventlens.store import open_store

    if read_requires_token is None:
        read_requires_token = bool(getattr(settings, "api_read_requires_token", False))
    store = open_store(settings.store_url)
    app = FastAPI(title="eventlens", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Coded, geolocated, source-linked political events (ACLED/PLOVER).")
    app.state.eventlens = AppState(
        settings=settings, store=store,
        templates=Jinja2Templates(directory=str(WEB_DIR / "templates")),
        read_requires_token=read_requires_token,
    )
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    app.include_router(routes.router)
    app.include_router(web.router)
    _add_docs(app)
    _add_handlers(app)
    app.router.add_event_handler("shutdown", store.close)
    return app


def _add_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="eventlens API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no call to the online validator
        )


def _add_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        inline = " 'unsafe-inline'" if request.url.path == "/docs" else ""
        response.headers.setdefault("Content-Security-Policy", _CSP.format(inline=inline))
        return response

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(ConfigError)
    async def config_error(request: Request, exc: ConfigError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        logger.error("store error on %s: %s", request.url.path, exc)
        return JSONResponse({"detail": str(exc)}, status_code=503)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or ConfigError naming the address and what to do."""
    if not 1 <= port <= 65535:
        raise ConfigError(f"port {port} is not a TCP port; choose one from 1 to 65535 (e.g. --port 8000)")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on host {host!r}: {exc.strerror}; e.g. --host 127.0.0.1") from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is already in use (another server?); stop it or "
                              f"choose another port with --port") from exc
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn until interrupted (for `eventlens serve`). The port is bound first,
    so a port in use is one clear error before anything starts."""
    import uvicorn

    sock = listening_socket(host, port)
    app = create_app(settings)
    logger.info("serving %s on http://%s:%d", settings.store_shown, host, port)
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info")).run(sockets=[sock])
