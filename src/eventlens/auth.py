"""Users, roles, API tokens and dashboard sessions: the policy (roles, hashing, secrets).

Roles are ordered: ``viewer`` < ``reviewer`` < ``admin``. Passwords are hashed with argon2id
(argon2-cffi); API tokens and session ids are long random secrets, stored only as SHA-256
hashes (a high-entropy secret needs no slow hash), so a stolen database reveals none of them.
Each session carries its own CSRF token, checked on every form POST. The rows live in the
store (``Store.add_user``, ``add_token``, ``add_session``, ...); this module never touches SQL.

``create_user`` and ``create_token`` are what ``eventlens user add`` and ``eventlens user
token`` call; they open the store URL themselves and migrate it if needed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from eventlens.errors import ConfigError, ReviewError
from eventlens.store import Session, Store, User, open_store

__all__ = [
    "ROLES",
    "Session",
    "User",
    "authenticate_password",
    "authenticate_token",
    "change_password",
    "create_session",
    "create_token",
    "create_user",
    "csrf_matches",
    "delete_session",
    "has_role",
    "issue_token",
    "load_session",
    "new_user",
    "require_role",
]

logger = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("viewer", "reviewer", "admin")
TOKEN_PREFIX = "elt_"
SESSION_TTL = timedelta(hours=12)


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


def new_user(store: Store, name: str, role: str, password: str | None = None) -> User:
    """Add a user (password hashed with argon2id; None = token-only user)."""
    _check_role(role)
    if not name.strip():
        raise ConfigError("a user needs a non-empty name")
    pw_hash = PasswordHasher().hash(password) if password else None
    user = store.add_user(name, role, pw_hash)
    logger.info("created user %s (%s)", name, role)
    return user


def issue_token(store: Store, user_name: str, label: str | None = None) -> str:
    """A new API token for ``user_name``; the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    store.add_token(user_name, _sha256(token), label)
    logger.info("issued an API token for %s", user_name)
    return token


def authenticate_token(store: Store, token: str) -> User | None:
    """The active user owning ``token``, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return store.user_by_token(_sha256(token))


def authenticate_password(store: Store, name: str, password: str) -> User | None:
    """The user when ``password`` matches (argon2 verify), else None."""
    user, pw_hash = store.password_hash(name) or (None, None)
    if user is None or not pw_hash:
        PasswordHasher().hash(password)  # same work either way: no user-enumeration by timing
        return None
    try:
        PasswordHasher().verify(pw_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def create_session(store: Store, user: User) -> tuple[str, Session]:
    """A new session for ``user``: (cookie value, Session with its CSRF token)."""
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    store.add_session(user, _sha256(sid), csrf, _now() + SESSION_TTL)
    return sid, Session(user=user, csrf_token=csrf)


def load_session(store: Store, sid: str) -> Session | None:
    """The live session behind cookie value ``sid`` (None when unknown or expired)."""
    return store.load_session(_sha256(sid))


def delete_session(store: Store, sid: str) -> None:
    store.delete_session(_sha256(sid))


def csrf_matches(session: Session, submitted: str | None) -> bool:
    """Constant-time check of a form's CSRF token against the session's."""
    return submitted is not None and hmac.compare_digest(session.csrf_token, submitted)


def create_user(store_url: str, name: str, role: str, password: str | None = None) -> User:
    """Create a user in the store at ``store_url`` (for `eventlens user add`)."""
    with open_store(store_url) as store:
        return new_user(store, name, role, password)


def create_token(store_url: str, user_name: str, label: str | None = None) -> str:
    """Create an API token for an existing user (for `eventlens user token`); shown once."""
    with open_store(store_url) as store:
        return issue_token(store, user_name, label)


def change_password(store_url: str, name: str, password: str) -> None:
    """Set a new password for ``name`` (for `eventlens user password`); their sessions end."""
    if not password:
        raise ConfigError("the new password is empty")
    with open_store(store_url) as store:
        store.set_password(name, PasswordHasher().hash(password))
    logger.info("changed the password of %s", name)


def require_role(user: User | None, needed: str) -> User:
    """``user`` if it holds ``needed``; ReviewError otherwise (the API maps it to 401/403)."""
    if user is None or not has_role(user, needed):
        raise ReviewError(f"this action needs the {needed!r} role")
    return user
