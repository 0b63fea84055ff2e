"""The Store's users, API tokens and dashboard sessions (hashing and roles: ``eventlens.auth``)."""

from __future__ import annotations

from datetime import datetime

from eventlens.store import users
from eventlens.store.base import StoreBase, now
from eventlens.store.types import Account, Session, User

__all__ = ["Accounts"]


class Accounts(StoreBase):
    def add_user(self, name: str, role: str, password_hash: str | None) -> User:
        """Insert a user (ConfigError when the name is taken)."""
        with self._write() as conn:
            return users.add_user(conn, name, role, password_hash, now())

    def add_token(self, user_name: str, token_hash: str, label: str | None = None) -> int:
        """Store the hash of a new API token of ``user_name``; its id (ConfigError: no such user)."""
        with self._write() as conn:
            return users.add_token(conn, user_name, token_hash, label, now())

    def accounts(self) -> list[Account]:
        """Every user with their tokens (ids, labels, use, revoked), by name."""
        return self._read(users.accounts)

    def set_password(self, name: str, password_hash: str | None) -> None:
        """Replace ``name``'s password hash and end their sessions (ConfigError: no such user)."""
        with self._write() as conn:
            users.set_password(conn, name, password_hash)

    def revoke_tokens(self, name: str, token_id: int | None = None) -> int:
        """Revoke token ``token_id`` of ``name``, or all their live tokens; how many were revoked."""
        with self._write() as conn:
            return users.revoke_tokens(conn, name, token_id)

    def user_by_token(self, token_hash: str) -> User | None:
        """The active user of a live token, recording its use (not queued behind writers)."""
        with self._write(serialised=False) as conn:
            return users.user_by_token_hash(conn, token_hash, now())

    def password_hash(self, name: str) -> tuple[User, str | None] | None:
        """An active user and their password hash (None: no such active user)."""
        return self._read(lambda c: users.password_hash_of(c, name))

    def add_session(self, user: User, id_hash: str, csrf_token: str, expires: datetime) -> None:
        """Store a dashboard session (and forget expired ones)."""
        with self._write() as conn:
            users.add_session(conn, user, id_hash, csrf_token, now(), expires)

    def load_session(self, id_hash: str) -> Session | None:
        """The live session whose id hashes to ``id_hash`` (None: unknown, expired or disabled)."""
        return self._read(lambda c: users.session_by_hash(c, id_hash, now()))

    def delete_session(self, id_hash: str) -> None:
        with self._write() as conn:
            users.delete_session(conn, id_hash)
