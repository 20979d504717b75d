"""The federation's directory as this node sees it: signed entries, verified here.

The broker serves each participant's entry (contact points per data
category, follow-up encryption key) with the certificate that published it;
:class:`PartnerDirectory` verifies every entry against the federation CA
before using it (:func:`~liaison.crypto.directory_entry.verify_entry`), so a
contact or a key the broker rewrote is reported as a problem, never used.
:class:`EntryPublisher` publishes this node's own entry at start, retrying
until the broker accepts it (an agency may be admitted after its node started).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.errors import LiaisonError, NotFound
from liaison.crypto.directory_entry import (
    ContactPoint,
    DirectoryEntry,
    SignedEntry,
    sign_entry,
    verify_entry,
)
from liaison.crypto.envelope import epoch_ms
from liaison.crypto.followup_seal import FollowupKey

log = logging.getLogger(__name__)

#: Seconds between attempts to publish this node's entry.
PUBLISH_RETRY_S = 0.5


class DirectoryPort(Protocol):
    """What the directory needs from the broker (a gRPC client in production)."""

    def directory_entries(self) -> dict[str, SignedEntry | None]:
        """Return each participant's signed entry (None: none published)."""

    def publish_entry(self, signed: SignedEntry) -> None:
        """Publish this node's signed entry."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One participant: its verified entry, or why there is none."""

    agency: str
    entry: DirectoryEntry | None
    problem: str = ""


class PartnerDirectory:
    """Verified directory entries, fetched from the broker when asked."""

    def __init__(
        self, broker: DirectoryPort, ca_certificate: x509.Certificate, clock: Callable[[], datetime]
    ) -> None:
        """Read entries through ``broker``; verify them against ``ca_certificate``."""
        self._broker = broker
        self._ca = ca_certificate
        self._clock = clock

    def listings(self) -> list[Listing]:
        """Return every participant's entry, verified (or its problem), by agency.

        Raises:
            LiaisonError: the broker could not be asked.
        """
        now = self._clock()
        listings = []
        for agency, signed in sorted(self._broker.directory_entries().items()):
            if signed is None:
                listings.append(Listing(agency, None, "no entry published"))
                continue
            try:
                entry = verify_entry(signed, self._ca, now=now)
            except LiaisonError as exc:
                listings.append(Listing(agency, None, f"entry rejected: {exc}"))
                continue
            if entry.agency != agency:
                listings.append(Listing(agency, None, "entry rejected: served for another agency"))
                continue
            listings.append(Listing(agency, entry))
        return listings

    def entry(self, agency: str) -> DirectoryEntry:
        """Return ``agency``'s verified entry.

        Raises:
            NotFound: no verified entry of that agency.
            LiaisonError: the broker could not be asked.
        """
        for listing in self.listings():
            if listing.agency == agency and listing.entry is not None:
                return listing.entry
        raise NotFound("no verified directory entry of that agency")

    def contacts(self) -> dict[str, DirectoryEntry]:
        """Return the verified entries by agency; an unreachable broker gives none."""
        try:
            return {x.agency: x.entry for x in self.listings() if x.entry is not None}
        except LiaisonError as exc:
            log.warning("directory not read: %s", exc)
            return {}


def contact_for(
    entries: dict[str, DirectoryEntry], agency: str, dataset: str
) -> ContactPoint | None:
    """Return whom to contact at ``agency`` about ``dataset`` (its ``*`` contact otherwise)."""
    entry = entries.get(agency)
    return None if entry is None else entry.contact_for(dataset)


class EntryPublisher:
    """Publishes this node's signed entry, retrying in the background until accepted."""

    def __init__(
        self,
        agency: str,
        signing_key: ec.EllipticCurvePrivateKey,
        followup_key: FollowupKey,
        contacts: tuple[ContactPoint, ...],
        broker: DirectoryPort,
        clock: Callable[[], datetime],
    ) -> None:
        """Sign entries of ``agency`` with ``signing_key``; publish through ``broker``."""
        self._agency = agency
        self._signing = signing_key
        self._key = followup_key
        self._contacts = contacts
        self._broker = broker
        self._clock = clock
        self._stop = threading.Event()
        #: Set once the broker accepted the entry.
        self.published = threading.Event()
        self._thread: threading.Thread | None = None

    def signed(self) -> SignedEntry:
        """Return a freshly signed entry."""
        entry = DirectoryEntry(
            self._agency, self._key.public_bytes(), self._contacts, epoch_ms(self._clock())
        )
        return sign_entry(entry, self._signing)

    def start(self) -> None:
        """Start publishing in the background."""
        self._thread = threading.Thread(target=self._run, name="entry-publisher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._broker.publish_entry(self.signed())
            except LiaisonError as exc:
                log.debug("directory entry not published yet: %s", exc)
                self._stop.wait(PUBLISH_RETRY_S)
                continue
            self.published.set()
            return

    def close(self) -> None:
        """Stop retrying."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
