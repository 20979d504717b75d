"""The one error tree of Liaison.

Every error raised on purpose derives from :class:`LiaisonError`. Messages name
the field, line or partner involved, never an identifier, key or record value:
they end up in logs and on the wire.
"""

from __future__ import annotations

from liaison.core.alerts import Alert


class LiaisonError(Exception):
    """Root of every error Liaison raises on purpose."""


class InvalidInput(LiaisonError):
    """Malformed input; the message names the field or line, never the data."""


class ConfigError(LiaisonError):
    """A configuration file is missing, malformed or inconsistent."""


class NotFound(LiaisonError):
    """A named dataset, partner, query or filter version does not exist."""


class PermissionDenied(LiaisonError):
    """The caller's certificate does not allow this call."""


class Unauthenticated(LiaisonError):
    """The caller presented no credential, or one that is unknown, disabled or wrong."""


class EnvelopeRejected(PermissionDenied):
    """Signature, expiry or replay check failed; deliberately says no more."""


class QueryRefused(LiaisonError):
    """A policy or agreement forbids this query; the message says which rule."""


class QuotaExceeded(LiaisonError):
    """The request is larger than an agreement or a server limit allows.

    ``alert`` is set when a budget or a rate ran out (a ``fishing_alert``,
    docs/audit.md "Alerts"): it says which limit. It is not sent over the
    wire with the error; a partner sends it in its answer instead.
    """

    def __init__(self, *args: object, alert: Alert | None = None) -> None:
        """Keep the message and, for a budget or rate refusal, its alert."""
        super().__init__(*args)
        self.alert = alert


class BudgetExhausted(QuotaExceeded):
    """A partner's daily key budget or query rate under an agreement ran out: an alert."""


class PartnerUnavailable(LiaisonError):
    """A partner or the broker could not be reached."""


class ProofError(InvalidInput):
    """A Merkle proof, tree-head signature, log entry or ledger link does not verify."""


class StorageUnavailable(LiaisonError):
    """A database the service needs failed after it was opened."""


class PsiError(InvalidInput):
    """A PSI payload could not be parsed or processed."""


class PartnerTimeout(PartnerUnavailable):
    """A partner did not answer before its deadline."""


class AuditUnavailable(StorageUnavailable):
    """The audit log could not be read or written: nothing may be disclosed meanwhile."""


class LedgerUnavailable(StorageUnavailable):
    """The ledger's database could not be read or written; nothing was recorded."""


class StaleAppend(ProofError):
    """The entry does not extend the store's last entry: another writer appended first."""


class Unreachable(PartnerUnavailable):
    """The peer was never reached: the call failed in transport, carrying no answer of its own.

    Distinct from a :class:`PartnerUnavailable` that a reached peer reports (a
    broker whose partner was down, say). It describes this process's own call,
    so it is never relayed as itself: a peer that raises it sends
    :class:`PartnerUnavailable`, since that peer was reached.
    """


#: Every class above, by name: the only names an error may be rebuilt from
#: when it arrives from a peer (``liaison.wire.status.error_from_rpc``). A new
#: class is added here and to the status table; a test checks both.
ERROR_CLASSES: dict[str, type[LiaisonError]] = {
    cls.__name__: cls
    for cls in (
        LiaisonError,
        InvalidInput,
        ConfigError,
        NotFound,
        PermissionDenied,
        Unauthenticated,
        EnvelopeRejected,
        QueryRefused,
        QuotaExceeded,
        PartnerUnavailable,
        ProofError,
        StorageUnavailable,
        PsiError,
        PartnerTimeout,
        AuditUnavailable,
        LedgerUnavailable,
        StaleAppend,
        Unreachable,
        BudgetExhausted,
    )
}
