"""Which audit entries a reader may see in full (``docs/audit.md``, "Scoped reads").

An auditor sees every entry. A node sees the entries about its own agency:
the queries it sent (with every answer to them and their completion), the
queries it was asked (their ``query_submitted`` entry, which it holds as a
receipt anyway, and its own answers), its refused queries, its own admission
and removal, its ledger checkpoints, the fishing alerts about its requests or
raised by its own agreements, its own reads of the log, and the
erasure entries (which name no agency). Every other entry is withheld: the
reader gets its leaf hash only, so that it can still rebuild the tree, check
the signed root and every consistency proof, but learns nothing of the entry
beyond its existence (the leaf hash covers a salted commitment).

Answers and completions name the query, not always its requester, so a
:class:`NodeScope` is fed every entry from the start of the log in order and
remembers the ids of this agency's own queries (memory: one id per query the
agency sent, never more).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from liaison.core.alerts import AlertLimit
from liaison.core.audit import AuditEvent, EntryKind, FieldValue


def _targets(fields: Mapping[str, FieldValue]) -> set[str]:
    targets = fields.get("targets", ())
    if not isinstance(targets, tuple):
        return set()
    return {target.partition(":")[0] for target in targets}


class NodeScope:
    """What one agency's node certificate may read; feed it entries in log order."""

    def __init__(self, agency: str) -> None:
        """Scope reads to ``agency``."""
        self._agency = agency
        self._own_queries: set[str] = set()

    def observe(self, event: AuditEvent | None) -> None:
        """Remember this agency's own queries (call for every entry, in order)."""
        if (
            event is not None
            and event.kind is EntryKind.QUERY_SUBMITTED
            and event.fields["requesting_agency"] == self._agency
        ):
            self._own_queries.add(str(event.fields["query_id"]))

    def visible(self, event: AuditEvent | None) -> bool:
        """Whether the entry (None: erased) is about this agency; call :meth:`observe` first."""
        if event is None:
            return False  # only kind and time are left, and they are not ours to show
        rule = _RULES.get(event.kind)
        return rule is not None and rule(self, event.fields)

    def names_me(self, fields: Mapping[str, FieldValue], name: str) -> bool:
        """Whether field ``name`` is this agency."""
        return fields[name] == self._agency

    def submitted(self, fields: Mapping[str, FieldValue]) -> bool:
        """A query this agency sent or was asked."""
        return self.names_me(fields, "requesting_agency") or self._agency in _targets(fields)

    def answered(self, fields: Mapping[str, FieldValue]) -> bool:
        """Its own answer, or an answer to its own query."""
        return self.names_me(fields, "agency") or fields["query_id"] in self._own_queries

    def alerted(self, fields: Mapping[str, FieldValue]) -> bool:
        """An alert about its own requests, or one its own agreement's limit raised."""
        if self.names_me(fields, "requesting_agency"):
            return True
        # "broker" is a valid agency code: a broker limit's alert has no partner.
        return self.names_me(fields, "partner") and not AlertLimit(str(fields["limit"])).at_broker

    def accessed(self, fields: Mapping[str, FieldValue]) -> bool:
        """Its own read of the log."""
        return self.names_me(fields, "accessor") and fields["role"] == "node"


_Rule = Callable[[NodeScope, Mapping[str, FieldValue]], bool]

#: One rule per kind; a kind without a rule is withheld from every node.
_RULES: Final[Mapping[EntryKind, _Rule]] = {
    EntryKind.QUERY_SUBMITTED: NodeScope.submitted,
    EntryKind.PARTNER_ANSWERED: NodeScope.answered,
    EntryKind.QUERY_COMPLETED: lambda scope, f: scope.names_me(f, "requesting_agency"),
    EntryKind.POLICY_DENIAL: lambda scope, f: scope.names_me(f, "requesting_agency"),
    EntryKind.PARTICIPANT_ADMITTED: lambda scope, f: scope.names_me(f, "agency"),
    EntryKind.PARTICIPANT_REMOVED: lambda scope, f: scope.names_me(f, "agency"),
    EntryKind.LOG_ACCESS: NodeScope.accessed,
    EntryKind.ERASURE: lambda scope, f: True,
    EntryKind.LEDGER_CHECKPOINT: lambda scope, f: scope.names_me(f, "agency"),
    EntryKind.FISHING_ALERT: NodeScope.alerted,
    EntryKind.FOLLOWUP: lambda scope, f: (
        scope.names_me(f, "sender") or scope.names_me(f, "recipient")
    ),
}
