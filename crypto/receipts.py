"""The broker's receipt for a logged query: one entry, a signed tree head, an inclusion proof.

The broker hands one to every partner with the query it relays, so the
partner can check, before answering, that the query was logged first; the
partner keeps it in its ledger for the auditor. ``docs/audit.md``, "Receipts".
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liaison.core import audit
from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto import merkle
from liaison.crypto.audit_entries import AuditRecord, decode_body
from liaison.crypto.tree_head import SignedTreeHead, verify_tree_head

__all__ = ["Receipt"]


@dataclass(frozen=True, slots=True)
class Receipt:
    """The broker's proof that a query was logged before it was relayed to this node.

    ``header``, ``salt`` and ``body`` are the broker's ``query_submitted``
    entry (``docs/audit.md``, "Entries"); ``inclusion_proof`` proves that
    entry's leaf at ``entry_index`` under ``tree_head``.

    Raises:
        InvalidInput: a field has the wrong type or a negative index.
    """

    entry_index: int
    header: bytes
    salt: bytes
    body: bytes
    tree_head: SignedTreeHead
    inclusion_proof: tuple[bytes, ...]

    def __post_init__(self) -> None:
        """Refuse values that :meth:`verify` or the JSON form could not handle."""
        if type(self.entry_index) is not int or self.entry_index < 0:
            raise InvalidInput("receipt entry_index must be a non-negative integer")
        if not all(isinstance(part, bytes) for part in (self.header, self.salt, self.body)):
            raise InvalidInput("receipt header, salt and body must be bytes")
        if not isinstance(self.tree_head, SignedTreeHead):
            raise InvalidInput("receipt tree_head must be a SignedTreeHead")
        if not isinstance(self.inclusion_proof, tuple) or not all(
            isinstance(node, bytes) for node in self.inclusion_proof
        ):
            raise InvalidInput("receipt inclusion_proof must be a tuple of bytes")

    def verify(self, public_key: Ed25519PublicKey, *, query_id: str) -> None:
        """Check that the broker logged the ``query_submitted`` entry of ``query_id``.

        Checks, in order: the tree head's signature, the inclusion proof of
        the header's leaf hash at ``entry_index`` under that head, the salted
        body commitment in the header, and that the body is a
        ``query_submitted`` event of this query.

        Args:
            public_key: the broker's audit key (``audit.pub``).
            query_id: the query this receipt must be about.

        Raises:
            ProofError: any check fails; the message says which.
        """
        verify_tree_head(self.tree_head, public_key)
        leaf = merkle.leaf_hash(self.header)
        merkle.verify_inclusion(
            leaf, self.entry_index, self.tree_head.size, self.inclusion_proof, self.tree_head.root
        )
        # The salted commitment, and that the body agrees with the header's kind and time.
        AuditRecord(self.entry_index, self.header, leaf, self.salt, self.body).verify()
        try:
            event = decode_body(self.body)
        except ProofError:
            raise
        except InvalidInput as exc:
            raise ProofError(f"receipt entry: {exc}") from exc
        if event.kind is not audit.EntryKind.QUERY_SUBMITTED:
            raise ProofError("receipt entry is not a query_submitted entry")
        if event.fields["query_id"] != query_id:
            raise ProofError("receipt entry is about another query")
