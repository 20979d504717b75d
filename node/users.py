"""The agency's people: node-local credentials for the local face, and who may call what.

The node operator issues each person a bearer token (``liaison node user
add``). The token is ``lt1:<name>:<secret>``, the secret 256 random bits,
shown once and never stored: the node keeps only an scrypt hash of it with a
per-user salt, compared in constant time. Every call on the local face is
checked against the store (so a disabled or removed user is refused at the
next call) and against :data:`PERMISSIONS`, which names the roles allowed
for each operation; an operation missing from it is refused to everyone.

This is the domain side: no gRPC, no SQL. :mod:`node.sql_users` stores the
users; the gRPC edge (:mod:`liaison.wire.bearer`, wired in
:mod:`node.server`) reads the token from the call's metadata.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Protocol

from liaison.core.errors import InvalidInput, PermissionDenied, Unauthenticated

#: User names: an e-mail-like login, no colon (the token's separator).
USER_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")
TOKEN_PREFIX: Final = "lt1"
#: Longest token accepted before any hashing (a real one is under 180 characters).
MAX_TOKEN_LENGTH: Final = 256
_SECRET_BYTES: Final = 32
_SALT_BYTES: Final = 16
#: scrypt cost: about 16 MiB and a few tens of milliseconds per check.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
_DIGEST_BYTES: Final = 32
_SCRYPT_MAXMEM: Final = 64 * 1024 * 1024


class LocalRole(StrEnum):
    """What a person does at the agency."""

    INVESTIGATOR = "investigator"
    OFFICER = "officer"
    OPERATOR = "operator"
    AUDITOR = "auditor"


#: Roles allowed per local operation (the RPC's name). Deny by default: an
#: operation that is not here is refused to every role.
PERMISSIONS: Final[Mapping[str, frozenset[LocalRole]]] = MappingProxyType(
    {
        "Match": frozenset({LocalRole.INVESTIGATOR}),
        "ListDatasets": frozenset(LocalRole),
        # Standing watches (docs/watches.md): investigators register them; the
        # owner or an operator removes one (checked again per watch).
        "AddWatch": frozenset({LocalRole.INVESTIGATOR}),
        "ListWatches": frozenset({LocalRole.INVESTIGATOR, LocalRole.OPERATOR, LocalRole.AUDITOR}),
        "ShowWatch": frozenset({LocalRole.INVESTIGATOR, LocalRole.OPERATOR, LocalRole.AUDITOR}),
        "RemoveWatch": frozenset({LocalRole.INVESTIGATOR, LocalRole.OPERATOR}),
        "ListNotices": frozenset(LocalRole),
        # The web console's and HTTP API's own operations (docs/web.md): the
        # same table, so a role reaches in a browser exactly what it may call.
        "ListAgreements": frozenset({LocalRole.OPERATOR, LocalRole.AUDITOR, LocalRole.OFFICER}),
        "ListUsers": frozenset({LocalRole.OPERATOR}),
        "AddUser": frozenset({LocalRole.OPERATOR}),
        "DisableUser": frozenset({LocalRole.OPERATOR}),
        "ImportDataset": frozenset({LocalRole.OPERATOR}),
        "NodeStatus": frozenset({LocalRole.OPERATOR, LocalRole.AUDITOR}),
        "ReadLedger": frozenset({LocalRole.AUDITOR}),
        # Step two (docs/followups.md): investigators ask, officers answer.
        "ListDirectory": frozenset(LocalRole),
        "RequestFollowup": frozenset({LocalRole.INVESTIGATOR}),
        "ListFollowups": frozenset({LocalRole.INVESTIGATOR, LocalRole.OFFICER}),
        "ShowFollowup": frozenset({LocalRole.INVESTIGATOR, LocalRole.OFFICER}),
        "AnswerFollowup": frozenset({LocalRole.OFFICER}),
        "ListHitNotices": frozenset({LocalRole.OFFICER}),
        # Health, budgets and the ledger head: not for investigators.
        "Status": frozenset({LocalRole.OPERATOR, LocalRole.OFFICER, LocalRole.AUDITOR}),
        "RemoveDataset": frozenset({LocalRole.OPERATOR}),
    }
)


@dataclass(frozen=True, slots=True)
class User:
    """A person known to the node; ``secret_hash`` is the scrypt hash of the token's secret."""

    name: str
    role: LocalRole
    enabled: bool
    created_at: datetime
    secret_hash: str


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A new user and the token to hand them (shown once, never stored)."""

    user: User
    token: str


class UserStore(Protocol):
    """Where the node keeps its users (``node.sql_users.SqlUserStore``)."""

    def add_user(self, user: User) -> None:
        """Store a new user.

        Raises:
            InvalidInput: a user of that name exists.
        """

    def get_user(self, name: str) -> User | None:
        """Return the user of that name, or None."""

    def list_users(self) -> list[User]:
        """Return every user, by name."""

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Enable or disable a user.

        Raises:
            NotFound: no such user.
        """

    def remove_user(self, name: str) -> None:
        """Delete a user.

        Raises:
            NotFound: no such user.
        """


def check_user_name(name: str) -> str:
    """Return ``name`` if it is a valid user name.

    Raises:
        InvalidInput: it is not (the message does not repeat it).
    """
    if not USER_NAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            "user name: letters, digits and . _ @ + - only, starting with a letter or digit,"
            " at most 128 characters"
        )
    return name


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """Return the stored form of a token secret: ``scrypt$N$r$p$salt$digest`` (base64)."""
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(secret.encode("ascii"), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


def secret_matches(secret: str, stored: str) -> bool:
    """Tell whether ``secret`` hashes to ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest, validate=True)
        derived = _scrypt(
            secret.encode("ascii"), base64.b64decode(salt, validate=True), int(n), int(r), int(p)
        )
    except (ValueError, binascii.Error):
        return False
    return scheme == "scrypt" and hmac.compare_digest(derived, expected)


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=_DIGEST_BYTES
    )


#: Checked when the user is unknown, so that a wrong name costs the same time.
_DUMMY_HASH: Final = hash_secret("x" * 43, salt=b"\0" * _SALT_BYTES)


def _parse_token(token: str) -> tuple[str, str]:
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise Unauthenticated("the credential is not valid")
    prefix, sep, rest = token.partition(":")
    name, sep2, secret = rest.partition(":")
    if prefix != TOKEN_PREFIX or not sep or not sep2 or not name or not secret:
        raise Unauthenticated("the credential is not valid")
    return name, secret


class Users:
    """Issue, list, disable and remove credentials; authenticate and authorise calls."""

    def __init__(self, store: UserStore, clock: Callable[[], datetime]) -> None:
        """Manage the users of ``store``."""
        self._store = store
        self._clock = clock

    def add(self, name: str, role: LocalRole) -> IssuedCredential:
        """Create a user and its token.

        Raises:
            InvalidInput: bad name, or the user exists.
        """
        secret = secrets.token_urlsafe(_SECRET_BYTES)
        user = User(check_user_name(name), role, True, self._clock(), hash_secret(secret))
        self._store.add_user(user)
        return IssuedCredential(user, f"{TOKEN_PREFIX}:{name}:{secret}")

    def list(self) -> list[User]:
        """Return every user, by name."""
        return self._store.list_users()

    def disable(self, name: str) -> None:
        """Refuse the user's token from the next call on.

        Raises:
            NotFound: no such user.
        """
        self._store.set_enabled(name, False)

    def remove(self, name: str) -> None:
        """Delete the user; the token stops working at once.

        Raises:
            NotFound: no such user.
        """
        self._store.remove_user(name)

    def authenticate(self, token: str | None) -> User:
        """Return the enabled user a token belongs to, read from the store now.

        Raises:
            Unauthenticated: no token, a malformed one, an unknown or disabled
                user, or a wrong secret (all said the same way).
        """
        if not token:
            raise Unauthenticated("a credential is required (issued by 'liaison node user add')")
        name, secret = _parse_token(token)
        user = self._store.get_user(name) if USER_NAME_PATTERN.fullmatch(name) else None
        matches = secret_matches(secret, user.secret_hash if user else _DUMMY_HASH)
        if user is None or not matches or not user.enabled:
            raise Unauthenticated("the credential is not valid")
        return user

    def admit(self, operation: str, token: str | None) -> User:
        """Authenticate a call and check that its user's role may run ``operation``.

        Raises:
            Unauthenticated: see :meth:`authenticate`.
            PermissionDenied: the role may not run it (or nobody may).
        """
        return authorise(self.authenticate(token), operation)

    def current(self, name: str) -> User:
        """Return the enabled user ``name`` as the store holds it now (a session's next request).

        Raises:
            Unauthenticated: the user was removed or disabled since.
        """
        user = self._store.get_user(name) if USER_NAME_PATTERN.fullmatch(name) else None
        if user is None or not user.enabled:
            raise Unauthenticated("the credential is not valid")
        return user


def authorise(user: User, operation: str) -> User:
    """Return ``user`` if its role may run ``operation`` (:data:`PERMISSIONS`).

    Raises:
        PermissionDenied: the role may not run it (or nobody may).
    """
    if user.role not in PERMISSIONS.get(operation, frozenset()):
        raise PermissionDenied(f"role {user.role} may not call {operation}")
    return user
