"""Users, roles, API tokens and dashboard sessions.

Roles are ordered: ``viewer`` < ``reviewer`` < ``admin``. Passwords are hashed with argon2id
(argon2-cffi); API tokens and session ids are long random secrets, stored only as SHA-256
hashes (a high-entropy secret needs no slow hash), so a stolen database reveals none of them.
Each session carries its own CSRF token, checked on every form POST.

``create_user`` and ``create_token`` are what ``eventlens user add`` and ``eventlens token
create`` call; they open the store URL themselves and migrate it if needed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import ConfigError, ReviewError

__all__ = [
    "ROLES",
    "Session",
    "User",
    "api_tokens",
    "auth_metadata",
    "authenticate_password",
    "authenticate_token",
    "create_session",
    "create_token",
    "create_user",
    "delete_session",
    "has_role",
    "issue_token",
    "load_session",
    "new_user",
    "users",
    "web_sessions",
]

logger = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("viewer", "reviewer", "admin")
TOKEN_PREFIX = "elt_"
SESSION_TTL = timedelta(hours=12)

auth_metadata = sa.MetaData()

users = sa.Table(
    "users", auth_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

api_tokens = sa.Table(
    "api_tokens", auth_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

web_sessions = sa.Table(
    "web_sessions", auth_metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in dashboard session: who, and the CSRF token its forms must echo."""

    user: User
    csrf_token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def has_role(user: User | None, needed: str) -> bool:
    """True when ``user`` holds ``needed`` or a higher role."""
    return user is not None and ROLES.index(user.role) >= ROLES.index(needed)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def new_user(conn: Connection, name: str, role: str, password: str | None = None) -> User:
    """Insert a user (password hashed with argon2id; None = token-only user)."""
    _check_role(role)
    if not name.strip():
        raise ConfigError("a user needs a non-empty name")
    exists = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
    if exists is not None:
        raise ConfigError(f"user {name!r} already exists; choose another name")
    pw_hash = PasswordHasher().hash(password) if password else None
    result = conn.execute(users.insert().values(
        name=name, role=role, password_hash=pw_hash, created_at=_now(), disabled=False))
    user_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
    logger.info("created user %s (%s)", name, role)
    return User(id=int(user_id or 0), name=name, role=role)


def _user_by_name(conn: Connection, name: str) -> User:
    row = conn.execute(sa.select(users.c.id, users.c.name, users.c.role).where(users.c.name == name)).first()
    if row is None:
        raise ConfigError(f"no user named {name!r}; create one with `eventlens user add`")
    return User(id=row.id, name=row.name, role=row.role)


def issue_token(conn: Connection, user_name: str, label: str | None = None) -> str:
    """A new API token for ``user_name``; the clear token is returned once and never stored."""
    user = _user_by_name(conn, user_name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(api_tokens.insert().values(
        user_id=user.id, token_hash=_sha256(token), label=label, created_at=_now(), revoked=False))
    logger.info("issued an API token for %s", user_name)
    return token


def authenticate_token(conn: Connection, token: str) -> User | None:
    """The active user owning ``token``, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = conn.execute(
        sa.select(users.c.id, users.c.name, users.c.role, api_tokens.c.id.label("tid"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == _sha256(token), api_tokens.c.revoked.is_(False),
               users.c.disabled.is_(False))
    ).first()
    if row is None:
        return None
    conn.execute(api_tokens.update().where(api_tokens.c.id == row.tid).values(last_used_at=_now()))
    return User(id=row.id, name=row.name, role=row.role)


def authenticate_password(conn: Connection, name: str, password: str) -> User | None:
    """The user when ``password`` matches (argon2 verify), else None."""
    row = conn.execute(sa.select(users).where(users.c.name == name, users.c.disabled.is_(False))).first()
    if row is None or not row.password_hash:
        PasswordHasher().hash(password)  # same work either way: no user-enumeration by timing
        return None
    try:
        PasswordHasher().verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(id=row.id, name=row.name, role=row.role)


def create_session(conn: Connection, user: User) -> tuple[str, Session]:
    """A new session for ``user``: (cookie value, Session with its CSRF token)."""
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))  # forget stale sessions
    conn.execute(web_sessions.insert().values(
        id_hash=_sha256(sid), user_id=user.id, csrf_token=csrf, created_at=now, expires_at=now + SESSION_TTL))
    return sid, Session(user=user, csrf_token=csrf)


def load_session(conn: Connection, sid: str) -> Session | None:
    """The live session behind cookie value ``sid`` (None when unknown or expired)."""
    row = conn.execute(
        sa.select(users.c.id, users.c.name, users.c.role, users.c.disabled, web_sessions.c.csrf_token,
                  web_sessions.c.expires_at)
        .join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(web_sessions.c.id_hash == _sha256(sid))
    ).first()
    if row is None or row.disabled:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < _now():
        return None
    return Session(user=User(id=row.id, name=row.name, role=row.role), csrf_token=row.csrf_token)


def delete_session(conn: Connection, sid: str) -> None:
    conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == _sha256(sid)))


def csrf_matches(session: Session, submitted: str | None) -> bool:
    """Constant-time check of a form's CSRF token against the session's."""
    return submitted is not None and hmac.compare_digest(session.csrf_token, submitted)


def _engine(store_url: str) -> Engine:
    from eventlens.store.engine import create_store_engine
    from eventlens.store.migrate import upgrade

    engine = create_store_engine(store_url)
    with engine.connect() as conn:
        upgrade(conn)
    return engine


def create_user(store_url: str, name: str, role: str, password: str | None = None) -> User:
    """Create a user in the store at ``store_url`` (for `eventlens user add`)."""
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            return new_user(conn, name, role, password)
    finally:
        engine.dispose()


def create_token(store_url: str, user_name: str, label: str | None = None) -> str:
    """Create an API token for an existing user (for `eventlens token create`); shown once."""
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            return issue_token(conn, user_name, label)
    finally:
        engine.dispose()


def require_role(user: User | None, needed: str) -> User:
    """``user`` if it holds ``needed``; ReviewError otherwise (the API maps it to 401/403)."""
    if user is None or not has_role(user, needed):
        raise ReviewError(f"this action needs the {needed!r} role")
    return user
