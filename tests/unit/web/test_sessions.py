"""Console sessions: random ids, idle expiry, a bound on their number, CSRF comparison."""

from __future__ import annotations

from liaison.web.sessions import SessionStore, same_token


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_after_its_idle_time_and_each_request_extends_it() -> None:
    clock = Clock()
    store = SessionStore(60, clock=clock)
    session = store.open("jane")
    clock.now = 59
    assert store.get(session.session_id) is not None
    clock.now = 118  # 59 s after the last request
    assert store.get(session.session_id) is not None
    clock.now = 179
    assert store.get(session.session_id) is None


def test_sessions_have_distinct_ids_and_csrf_tokens_and_close() -> None:
    store = SessionStore(60)
    a, b = store.open("jane"), store.open("jane")
    assert len({a.session_id, b.session_id, a.csrf, b.csrf}) == 4
    assert len(a.session_id) >= 43  # 256 bits
    store.close(a.session_id)
    assert store.get(a.session_id) is None
    assert store.get(b.session_id) is not None
    assert store.get(None) is None and store.get("") is None


def test_the_oldest_session_goes_past_the_bound() -> None:
    store = SessionStore(60, max_sessions=2)
    first, second = store.open("a"), store.open("b")
    store.get(first.session_id)  # used: the least recently used is now the second
    store.open("c")
    assert store.get(second.session_id) is None
    assert store.get(first.session_id) is not None


def test_a_csrf_token_matches_only_itself() -> None:
    assert same_token("abc", "abc")
    assert not same_token("abd", "abc")
    assert not same_token(None, "abc")
    assert not same_token("", "abc")
