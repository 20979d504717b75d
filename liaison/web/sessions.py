"""Console sessions: a random id in a cookie, the user's name and a CSRF token on the server.

A session holds no credential: the token a person logs in with is checked
once (:meth:`liaison.node.users.Users.authenticate`) and dropped. Each
request re-reads the user (a disabled or removed user is out at the next
click). Sessions live in memory, bounded in number and idle time: a restart
logs everyone out.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

#: Most sessions kept at once; past it the least recently used is dropped.
MAX_SESSIONS: Final = 10_000
_ID_BYTES: Final = 32


@dataclass(frozen=True, slots=True)
class Session:
    """One logged-in person."""

    session_id: str
    user: str
    csrf: str
    expires: float


class SessionStore:
    """Sessions by id, each ending ``idle_seconds`` after its last request."""

    def __init__(
        self,
        idle_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        """Keep at most ``max_sessions`` sessions, each for ``idle_seconds`` of idleness."""
        self._idle = idle_seconds
        self._clock = clock
        self._max = max_sessions
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, user: str) -> Session:
        """Start a session for ``user``; return it (with a fresh id and CSRF token)."""
        session = Session(
            secrets.token_urlsafe(_ID_BYTES),
            user,
            secrets.token_urlsafe(_ID_BYTES),
            self._clock() + self._idle,
        )
        with self._lock:
            self._sessions[session.session_id] = session
            while len(self._sessions) > self._max:
                self._sessions.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> Session | None:
        """Return the live session of that id (extending it), or None."""
        if not session_id:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expires <= now:
                del self._sessions[session_id]
                return None
            session = replace(session, expires=now + self._idle)
            self._sessions[session_id] = session
            self._sessions.move_to_end(session_id)
            return session

    def close(self, session_id: str) -> None:
        """End a session (logout)."""
        with self._lock:
            self._sessions.pop(session_id, None)


def same_token(given: str | None, expected: str) -> bool:
    """Compare a CSRF token in constant time; a missing one never matches."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
