"""Users, API tokens and dashboard sessions as rows (the store side of ``eventlens.auth``).

Secrets never reach this module in clear: ``auth`` hashes passwords (argon2id) and tokens and
session ids (SHA-256) before they are stored or looked up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.store.schema import api_tokens, users, web_sessions
from eventlens.store.types import Account, Session, TokenInfo, User

__all__ = [
    "accounts",
    "add_session",
    "add_token",
    "add_user",
    "delete_session",
    "password_hash_of",
    "revoke_tokens",
    "session_by_hash",
    "set_password",
    "user_by_name",
    "user_by_token_hash",
]


def add_user(conn: Connection, name: str, role: str, password_hash: str | None, now: datetime) -> User:
    exists = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
    if exists is not None:
        raise ConfigError(f"user {name!r} already exists; choose another name")
    result = conn.execute(users.insert().values(
        name=name, role=role, password_hash=password_hash, created_at=now, disabled=False))
    user_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
    return User(id=int(user_id or 0), name=name, role=role)


def user_by_name(conn: Connection, name: str) -> User:
    row = conn.execute(sa.select(users.c.id, users.c.name, users.c.role).where(users.c.name == name)).first()
    if row is None:
        raise ConfigError(f"no user named {name!r}; create one with `eventlens user add`")
    return User(id=row.id, name=row.name, role=row.role)


def add_token(conn: Connection, user_name: str, token_hash: str, label: str | None, now: datetime) -> int:
    """Store a token hash; returns the token's id (what `eventlens user revoke --id` takes)."""
    user = user_by_name(conn, user_name)
    result = conn.execute(api_tokens.insert().values(
        user_id=user.id, token_hash=token_hash, label=label, created_at=now, revoked=False))
    return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def accounts(conn: Connection) -> list[Account]:
    """Every user by name, with their tokens (oldest first)."""
    tokens: dict[int, list[TokenInfo]] = {}
    t = api_tokens.c
    for row in conn.execute(sa.select(api_tokens).order_by(t.id)):
        tokens.setdefault(row.user_id, []).append(TokenInfo(
            id=row.id, label=row.label, created_at=row.created_at, last_used_at=row.last_used_at,
            revoked=bool(row.revoked)))
    return [
        Account(user=User(id=row.id, name=row.name, role=row.role), disabled=bool(row.disabled),
                has_password=bool(row.password_hash), tokens=tuple(tokens.get(row.id, ())))
        for row in conn.execute(sa.select(users).order_by(users.c.name))
    ]


def set_password(conn: Connection, name: str, password_hash: str | None) -> None:
    """Replace a user's password hash and end their dashboard sessions (a stolen one dies too)."""
    user = user_by_name(conn, name)
    conn.execute(users.update().where(users.c.id == user.id).values(password_hash=password_hash))
    conn.execute(web_sessions.delete().where(web_sessions.c.user_id == user.id))


def revoke_tokens(conn: Connection, name: str, token_id: int | None) -> int:
    """Revoke one live token of ``name`` (``token_id``) or all of them; returns how many."""
    user = user_by_name(conn, name)
    t = api_tokens.c
    where = [t.user_id == user.id, t.revoked.is_(False)]
    if token_id is not None:
        if conn.execute(sa.select(t.id).where(t.user_id == user.id, t.id == token_id)).first() is None:
            raise ConfigError(f"user {name!r} has no token {token_id}; `eventlens user list` shows them")
        where.append(t.id == token_id)
    return conn.execute(api_tokens.update().where(*where).values(revoked=True)).rowcount or 0


def user_by_token_hash(conn: Connection, token_hash: str, now: datetime) -> User | None:
    """The active user of a live token (its last use recorded), or None."""
    row = conn.execute(
        sa.select(users.c.id, users.c.name, users.c.role, api_tokens.c.id.label("tid"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked.is_(False),
               users.c.disabled.is_(False))
    ).first()
    if row is None:
        return None
    conn.execute(api_tokens.update().where(api_tokens.c.id == row.tid).values(last_used_at=now))
    return User(id=row.id, name=row.name, role=row.role)


def password_hash_of(conn: Connection, name: str) -> tuple[User, str | None] | None:
    """An active user and their password hash (None: no such active user)."""
    row = conn.execute(sa.select(users).where(users.c.name == name, users.c.disabled.is_(False))).first()
    if row is None:
        return None
    return User(id=row.id, name=row.name, role=row.role), row.password_hash


def add_session(
    conn: Connection, user: User, id_hash: str, csrf_token: str, now: datetime, expires: datetime
) -> None:
    conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))  # forget stale sessions
    conn.execute(web_sessions.insert().values(
        id_hash=id_hash, user_id=user.id, csrf_token=csrf_token, created_at=now, expires_at=expires))


def session_by_hash(conn: Connection, id_hash: str, now: datetime) -> Session | None:
    """The live session whose id hashes to ``id_hash`` (None when unknown, expired or disabled)."""
    row = conn.execute(
        sa.select(users.c.id, users.c.name, users.c.role, users.c.disabled, web_sessions.c.csrf_token,
                  web_sessions.c.expires_at)
        .join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(web_sessions.c.id_hash == id_hash)
    ).first()
    if row is None or row.disabled:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < now:
        return None
    return Session(user=User(id=row.id, name=row.name, role=row.role), csrf_token=row.csrf_token)


def delete_session(conn: Connection, id_hash: str) -> None:
    conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == id_hash))
