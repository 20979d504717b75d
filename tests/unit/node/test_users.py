"""Node-local users: tokens, their hashes, authentication and roles, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from liaison.core.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from liaison.node.sql_users import SqlUserStore
from liaison.node.users import (
    PERMISSIONS,
    LocalRole,
    Users,
    authorise,
    hash_secret,
    secret_matches,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def users(db_url: str) -> Iterator[Users]:
    store = SqlUserStore(db_url)
    try:
        yield Users(store, lambda: NOW)
    finally:
        store.close()


def test_a_token_is_shown_once_and_only_its_hash_is_kept(users: Users) -> None:
    issued = users.add("jane.doe@fr", LocalRole.INVESTIGATOR)
    prefix, name, secret = issued.token.split(":")
    assert (prefix, name) == ("lt1", "jane.doe@fr") and len(secret) >= 43
    (stored,) = users.list()
    assert secret not in stored.secret_hash and stored.secret_hash.startswith("scrypt$16384$8$1$")
    assert (stored.role, stored.enabled, stored.created_at) == (LocalRole.INVESTIGATOR, True, NOW)
    assert users.authenticate(issued.token) == stored


def test_two_users_get_different_salts_for_the_same_secret() -> None:
    first, second = hash_secret("s" * 43), hash_secret("s" * 43)
    assert first != second
    assert secret_matches("s" * 43, first) and secret_matches("s" * 43, second)
    assert not secret_matches("t" * 43, first)
    assert not secret_matches("s" * 43, "md5$abc")


@pytest.mark.parametrize("mangle", ["wrong-secret", "wrong-name", "no-prefix", "empty", "long"])
def test_a_wrong_token_is_unauthenticated(users: Users, mangle: str) -> None:
    token = users.add("jane", LocalRole.INVESTIGATOR).token
    prefix, name, secret = token.split(":")
    forged = {
        "wrong-secret": f"{prefix}:{name}:{secret[:-1]}{'B' if secret[-1] != 'B' else 'C'}",
        "wrong-name": f"{prefix}:john:{secret}",
        "no-prefix": f"{name}:{secret}",
        "empty": "",
        "long": token + "x" * 300,
    }[mangle]
    with pytest.raises(Unauthenticated) as raised:
        users.authenticate(forged)
    assert secret not in str(raised.value) and "jane" not in str(raised.value)


def test_disable_and_remove_take_effect_at_the_next_check(users: Users) -> None:
    disabled = users.add("leaver", LocalRole.INVESTIGATOR).token
    removed = users.add("gone", LocalRole.INVESTIGATOR).token
    users.disable("leaver")
    users.remove("gone")
    for token in (disabled, removed):
        with pytest.raises(Unauthenticated):
            users.authenticate(token)
    assert [(u.name, u.enabled) for u in users.list()] == [("leaver", False)]
    with pytest.raises(NotFound):
        users.remove("gone")
    with pytest.raises(NotFound):
        users.disable("nobody")


def test_names_are_unique_and_checked(users: Users) -> None:
    users.add("jane", LocalRole.OPERATOR)
    with pytest.raises(InvalidInput):
        users.add("jane", LocalRole.INVESTIGATOR)
    for bad in ("", "a:b", "-x", "x" * 129, "jane doe", "jané"):
        with pytest.raises(InvalidInput):
            users.add(bad, LocalRole.INVESTIGATOR)


def test_each_role_may_run_only_its_operations(users: Users) -> None:
    tokens = {role: users.add(f"{role}-user", role).token for role in LocalRole}
    assert users.admit("Match", tokens[LocalRole.INVESTIGATOR]).name == "investigator-user"
    for role in (LocalRole.OFFICER, LocalRole.OPERATOR, LocalRole.AUDITOR):
        with pytest.raises(PermissionDenied):
            users.admit("Match", tokens[role])
    for role in LocalRole:
        assert users.admit("ListDatasets", tokens[role]).role is role


def test_an_operation_missing_from_the_table_is_refused_to_everyone(users: Users) -> None:
    assert "RotateKey" not in PERMISSIONS
    token = users.add("op", LocalRole.OPERATOR).token
    with pytest.raises(PermissionDenied):
        users.admit("RotateKey", token)
    with pytest.raises(Unauthenticated):
        users.admit("ListDatasets", None)


def test_a_sessions_user_is_read_again_and_a_disabled_one_is_out(users: Users) -> None:
    users.add("jane", LocalRole.INVESTIGATOR)
    assert users.current("jane").role is LocalRole.INVESTIGATOR
    users.disable("jane")
    for name in ("jane", "nobody", "bad:name"):
        with pytest.raises(Unauthenticated):
            users.current(name)


def test_the_consoles_operations_follow_the_same_table(users: Users) -> None:
    operator = users.add("op", LocalRole.OPERATOR).user
    investigator = users.add("inv", LocalRole.INVESTIGATOR).user
    assert authorise(operator, "AddUser") is operator
    for operation in ("AddUser", "ImportDataset", "ReadLedger", "ListUsers"):
        with pytest.raises(PermissionDenied):
            authorise(investigator, operation)
