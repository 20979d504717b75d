"""The only importer of openmined-psi: ECDH-PSI with reusable server filters.

The protocol (semi-honest security), in one of two modes: *reveal* (the
requester learns which of its keys the partner holds) or *cardinality*
(openmined-psi's ``reveal_intersection=False``: the partner shuffles its
response, so the requester learns only how many). The mode is fixed by the
client key and carried in every request; a server answers a request only in
the mode the caller expects, and the filter is the same for both.

* A partner holds one long-lived *server key* per dataset. Its *filter* is the
  dataset's match keys encrypted under that key and packed into a Golomb-coded
  set (openmined-psi's ``ServerSetup``). The filter depends only on the key
  and the data, so it is built once per dataset version and reused by every
  query until the data changes.
* A requester draws a fresh *client key* per query and sends its keys
  blinded under it (``Request``). The partner re-encrypts them under its
  server key (``Response``), one curve operation per key, without learning
  them. The requester removes its own blinding and looks the results up in
  the partner's filter, learning which of its own keys the partner holds.

openmined-psi objects are not thread-safe (two threads on one object abort
the process) but release the GIL, so every thread gets its own object built
from the same key bytes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Final

import private_set_intersection.python as _psi
from google.protobuf.message import DecodeError

from liaison.core.errors import PsiError
from liaison.crypto.filter_index import FilterIndex, bloom_index, gcs_index, raw_index

#: Golomb-coded sets whose mean gap (hash range / items) exceeds this fail in
#: openmined-psi 2.0.6 ("basic_string::_M_replace_aux"; seen from about 2**39
#: on); such sets are small, so they are sent as the exact raw sorted list.
_GCS_MAX_GAP = 2**36

#: Probability that a query of ``max_client_items`` keys gets one false hit
#: from a filter. A false hit is a false lead for an investigator; 1e-9 keeps
#: it negligible for a filter size of about 4-5 bytes per key.
FILTER_FPR = 1e-9


#: Most bytes one key takes in a filter: an exact (raw) filter holds each
#: encrypted key as a 33-byte compressed point plus 2 bytes of protobuf
#: framing (35 measured); a Golomb-coded set at :data:`FILTER_FPR` takes 4 to
#: 8 bytes per key for queries of up to a million keys.
FILTER_BYTES_PER_KEY = 36
#: Bytes of a filter besides its keys (the setup message's other fields: 2 to 8 measured).
FILTER_OVERHEAD_BYTES = 1024

#: Order of the P-256 group: a client key's inverse modulo it removes the blinding.
_P256_ORDER: Final = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


#: Bytes of one encrypted element: a compressed P-256 point (``ECPoint::ToBytesCompressed``).
ELEMENT_BYTES = 33
#: Records per task handed to an encryption worker: large enough that the
#: Python call overhead is a few per cent of the curve work, small enough to
#: share a batch evenly between workers.
_RECORDS_PER_TASK = 64


def max_filter_bytes(key_count: int) -> int:
    """Return the largest filter a dataset of ``key_count`` keys can have.

    Any filter :func:`build_filter` makes, whatever its structure and
    ``max_client_items``, fits: a requester refuses a larger one as not the
    filter of the dataset its partner declared.

    Raises:
        PsiError: a negative key count.
    """
    if key_count < 0:
        raise PsiError("negative key count")
    return FILTER_OVERHEAD_BYTES + FILTER_BYTES_PER_KEY * key_count


def new_server_key() -> bytes:
    """Return a fresh 32-byte PSI server key (one per dataset)."""
    key: bytes = _psi.server.CreateWithNewKey(True).GetPrivateKeyBytes()
    return key


def _server(key: bytes, reveal: bool = True) -> _psi.server:
    try:
        return _psi.server.CreateFromKey(key, reveal)
    except RuntimeError as exc:
        raise PsiError("invalid PSI server key") from exc


def filter_structure_is_gcs(key_count: int, max_client_items: int, fpr: float = FILTER_FPR) -> bool:
    """Whether a filter of ``key_count`` keys is a Golomb-coded set, else the raw list.

    Raw when the set is sparse enough to trip openmined-psi's Golomb coder
    (see ``_GCS_MAX_GAP``); such sets are small.
    """
    client_items = max(1, max_client_items)
    return max(client_items, key_count) / fpr / max(1, key_count) <= _GCS_MAX_GAP


def build_filter(
    server_key: bytes, items: Sequence[str], *, max_client_items: int, fpr: float = FILTER_FPR
) -> bytes:
    """Encrypt ``items`` under ``server_key`` and pack them into a filter.

    The filter is a Golomb-coded set, or for small sparse sets the exact
    sorted list of encrypted items (see ``_GCS_MAX_GAP``).

    Args:
        server_key: the dataset's server key.
        items: the dataset's match keys.
        max_client_items: the largest query the filter must serve at ``fpr``.
        fpr: false-positive probability for a query of ``max_client_items`` keys.

    Returns:
        A serialised openmined-psi ``ServerSetup`` message.

    Raises:
        PsiError: the key is invalid.
    """
    server = _server(server_key)
    client_items = max(1, max_client_items)
    structure = _psi.DataStructure.GCS
    if not filter_structure_is_gcs(len(items), client_items, fpr):
        structure = _psi.DataStructure.RAW
    try:
        setup = server.CreateSetupMessage(fpr, client_items, list(items), structure)
    except ValueError:
        # openmined-psi 2.0.6's Golomb coder fails on some sparse sets; the
        # raw sorted list is exact and small for the sets where it happens.
        setup = server.CreateSetupMessage(fpr, client_items, list(items), _psi.DataStructure.RAW)
    data: bytes = setup.SerializeToString()
    return data


def raw_setup(elements: Iterable[bytes]) -> bytes:
    """Return the serialised ``ServerSetup`` of an exact filter: ``elements`` sorted.

    Byte for byte what openmined-psi's ``DataStructure.RAW`` makes from the
    same encrypted elements (``datastructure/raw.cpp`` sorts them).
    """
    setup = _psi.ServerSetup()
    setup.raw.encrypted_elements.extend(sorted(elements))
    data: bytes = setup.SerializeToString()
    return data


def gcs_setup(bits: bytes, div: int, hash_range: int) -> bytes:
    """Return the serialised ``ServerSetup`` of a Golomb-coded set (see :mod:`crypto.filters`)."""
    setup = _psi.ServerSetup()
    setup.gcs.bits = bits
    setup.gcs.div = div
    setup.gcs.hash_range = hash_range
    data: bytes = setup.SerializeToString()
    return data


def worker_count(workers: int | None = None) -> int:
    """Return ``workers``, or by default one per core this process may use."""
    if workers is not None:
        return max(1, workers)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class PsiEncryptor:
    """Encrypts records' match keys under one server key, on every core.

    The curve work of a filter, done once per record and key epoch and kept
    (``docs/storage.md``): each record's keys become its *elements*, the
    keys hashed to the curve and raised to the server key, exactly the
    points openmined-psi's ``ServerSetup`` is built from. Each worker thread
    has its own openmined-psi object built from the same key (they are not
    thread-safe, and release the GIL while they compute). Call
    :meth:`close` (or use ``with``) to stop the workers.
    """

    def __init__(self, server_key: bytes, *, workers: int | None = None) -> None:
        """Check the key; start ``workers`` threads (default: one per core).

        Raises:
            PsiError: the key is invalid.
        """
        _server(server_key)
        self._key = server_key
        self._local = threading.local()
        self.workers = worker_count(workers)
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="liaison-psi")

    def __enter__(self) -> PsiEncryptor:
        """Return the encryptor itself; :meth:`close` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop the worker threads."""
        self.close()

    def close(self) -> None:
        """Stop the worker threads (waiting for running tasks)."""
        self._pool.shutdown(wait=True)

    def _server(self) -> _psi.server:
        server: _psi.server | None = getattr(self._local, "server", None)
        if server is None:
            server = self._local.server = _server(self._key)
        return server

    def _encrypt_records(self, records: Sequence[Sequence[str]]) -> list[bytes]:
        server = self._server()
        out: list[bytes] = []
        for keys in records:
            if not keys:
                out.append(b"")
                continue
            # An exact setup of one record's keys: its elements, sorted.
            setup = server.CreateSetupMessage(1.0, 1, list(keys), _psi.DataStructure.RAW)
            out.append(b"".join(setup.raw.encrypted_elements))
        return out

    def encrypt(self, records: Sequence[Sequence[str]]) -> list[bytes]:
        """Return, per record (a sequence of its distinct keys), its elements.

        Each record's elements come sorted and concatenated, each
        :data:`ELEMENT_BYTES` long; a record without keys gets ``b""``.
        The records are shared between the workers; the order is kept.
        """
        return self.start(records)()

    def start(self, records: Sequence[Sequence[str]]) -> Callable[[], list[bytes]]:
        """Start :meth:`encrypt` on the workers; the returned function waits for its result.

        The caller's thread is free meanwhile (to write the previous batch).
        """
        tasks = [
            self._pool.submit(self._encrypt_records, records[i : i + _RECORDS_PER_TASK])
            for i in range(0, len(records), _RECORDS_PER_TASK)
        ]

        def result() -> list[bytes]:
            return [blob for task in tasks for blob in task.result()]

        return result


def request_size(request: bytes, *, reveal: bool = True) -> int:
    """Return the number of blinded keys in a serialised PSI request.

    Args:
        request: a serialised openmined-psi ``Request``.
        reveal: the mode the request must be in (False: cardinality only).

    Raises:
        PsiError: the bytes are not a PSI request, or it is in the other mode.
    """
    return len(_parse_request(request, reveal=reveal).encrypted_elements)


def _parse_request(request: bytes, *, reveal: bool) -> _psi.Request:
    message = _psi.Request()
    try:
        message.ParseFromString(request)
    except DecodeError as exc:
        raise PsiError("PSI request is not a valid message") from exc
    if message.reveal_intersection != reveal:
        raise PsiError("PSI request is not in the query's match mode")
    return message


class PsiServer:
    """Answers PSI requests for one dataset; safe to share between threads."""

    def __init__(self, server_key: bytes) -> None:
        """Check the key once; per-thread openmined-psi objects come later.

        Raises:
            PsiError: the key is invalid.
        """
        _server(server_key)
        self._key = server_key
        self._local = threading.local()

    def _object(self, reveal: bool) -> _psi.server:
        attribute = "reveal" if reveal else "cardinality"
        server: _psi.server | None = getattr(self._local, attribute, None)
        if server is None:
            server = _server(self._key, reveal)
            setattr(self._local, attribute, server)
        return server

    def process(self, request: bytes, *, reveal: bool = True) -> bytes:
        """Re-encrypt a requester's blinded keys under the server key.

        In cardinality mode (``reveal=False``) the response is shuffled, so
        it tells the requester how many of its keys match, not which.

        Raises:
            PsiError: the request is malformed, holds invalid curve points, or
                is not in the mode ``reveal`` names.
        """
        message = _parse_request(request, reveal=reveal)
        try:
            response = self._object(reveal).ProcessRequest(message)
        except RuntimeError as exc:
            raise PsiError("PSI request holds invalid elements") from exc
        data: bytes = response.SerializeToString()
        return data


class PsiClient:
    """One query's client side: a fresh key, blinding and unblinding.

    Not thread-safe; use :meth:`clone` for another thread.
    """

    def __init__(self, key: bytes | None = None, *, reveal: bool = True) -> None:
        """Draw a fresh client key, or rebuild a client from ``key``.

        With ``reveal=False`` the client asks for the cardinality only: its
        requests say so, and only :meth:`intersection_size` works.
        """
        self._reveal = reveal
        if key is None:
            self._client = _psi.client.CreateWithNewKey(reveal)
        else:
            self._client = _psi.client.CreateFromKey(key, reveal)

    @property
    def reveal(self) -> bool:
        """Whether this client learns which keys match (else only how many)."""
        return self._reveal

    def clone(self) -> PsiClient:
        """Return another client object with the same key, for another thread."""
        return PsiClient(self._client.GetPrivateKeyBytes(), reveal=self._reveal)

    def unblinder(self) -> Unblinder:
        """Return the object that removes this client's blinding, safe to share between threads."""
        secret = int.from_bytes(self._client.GetPrivateKeyBytes(), "big")
        return Unblinder(pow(secret, -1, _P256_ORDER).to_bytes(32, "big"))

    def request(self, items: Sequence[str]) -> bytes:
        """Blind ``items`` under the client key; returns a serialised request."""
        data: bytes = self._client.CreateRequest(list(items)).SerializeToString()
        return data

    def intersect(self, setup: bytes, response: bytes, *, request_items: int) -> list[int]:
        """Return the sorted indices of request items present in a partner's filter.

        Args:
            setup: the partner dataset's filter (serialised ``ServerSetup``).
            response: the partner's serialised ``Response`` to this client's request.
            request_items: how many items the request held.

        Raises:
            PsiError: either message is malformed or does not fit the request,
                or this client is in cardinality mode.
        """
        if not self._reveal:
            raise PsiError("a cardinality-mode client learns only the intersection size")
        server_setup, server_response = _parse_answer(setup, response, request_items)
        try:
            indices = self._client.GetIntersection(server_setup, server_response)
        except RuntimeError as exc:
            raise PsiError("PSI response holds invalid elements") from exc
        return sorted(int(i) for i in indices)

    def intersection_size(self, setup: bytes, response: bytes, *, request_items: int) -> int:
        """Return how many request items are present in a partner's filter.

        Works in both modes; the only thing a cardinality-mode client learns.

        Raises:
            PsiError: either message is malformed or does not fit the request.
        """
        server_setup, server_response = _parse_answer(setup, response, request_items)
        try:
            size: int = self._client.GetIntersectionSize(server_setup, server_response)
        except RuntimeError as exc:
            raise PsiError("PSI response holds invalid elements") from exc
        return int(size)


class Unblinder:
    """Removes one query's blinding from partner responses; thread-safe.

    Holds the inverse of the client key: a server object keyed with it
    re-encrypts each response element, which is exactly the client's own
    decryption (the curve work is openmined-psi's). A fresh object per call,
    so that threads unblind different partners at once (the library
    releases the GIL).
    """

    def __init__(self, inverse_key: bytes) -> None:
        """Keep the inverse of the client key (32 bytes, big-endian)."""
        self._inverse = inverse_key

    def unblind(self, response: bytes, *, request_items: int) -> list[bytes]:
        """Return the request's keys encrypted under the partner's server key, in response order.

        That is how the partner's filter holds its own keys: look them up in
        a :func:`filter_index`.

        Raises:
            PsiError: the response is malformed, holds invalid points, or
                does not fit the request.
        """
        message = _psi.Response()
        try:
            message.ParseFromString(response)
        except DecodeError as exc:
            raise PsiError("PSI response is not a valid message") from exc
        if len(message.encrypted_elements) != request_items:
            raise PsiError("PSI response does not match the request size")
        request = _psi.Request()
        request.reveal_intersection = True
        request.encrypted_elements.extend(message.encrypted_elements)
        try:
            clear = _server(self._inverse).ProcessRequest(request)
        except RuntimeError as exc:
            raise PsiError("PSI response holds invalid elements") from exc
        return list(clear.encrypted_elements)


def _parse_answer(
    setup: bytes, response: bytes, request_items: int
) -> tuple[_psi.ServerSetup, _psi.Response]:
    server_setup = _psi.ServerSetup()
    server_response = _psi.Response()
    try:
        server_setup.ParseFromString(setup)
        server_response.ParseFromString(response)
    except DecodeError as exc:
        raise PsiError("PSI filter or response is not a valid message") from exc
    if len(server_response.encrypted_elements) != request_items:
        raise PsiError("PSI response does not match the request size")
    if server_setup.WhichOneof("data_structure") is None:
        raise PsiError("PSI filter is neither a Golomb-coded set, a raw list nor a Bloom filter")
    return server_setup, server_response


def filter_index(setup: bytes, *, max_items: int) -> FilterIndex:
    """Decode a partner's filter once into a form that answers look-ups fast.

    ``max_items`` is the key count the partner declared: a filter holding
    more is refused before it takes more memory than that count implies.

    See :mod:`liaison.crypto.filter_index`; the positions it returns for
    :meth:`Unblinder.unblind`'s output are those ``GetIntersection`` returns.

    Raises:
        PsiError: the bytes are not a filter, its layout is malformed, or it
            holds more than ``max_items`` keys.
    """
    message = _psi.ServerSetup()
    try:
        message.ParseFromString(setup)
    except DecodeError as exc:
        raise PsiError("PSI filter is not a valid message") from exc
    if message.HasField("gcs"):
        gcs = message.gcs
        return gcs_index(gcs.bits, gcs.div, gcs.hash_range, max_items=max_items)
    if message.HasField("raw"):
        return raw_index(list(message.raw.encrypted_elements), max_items=max_items)
    if message.HasField("bloom_filter"):
        bloom = message.bloom_filter
        return bloom_index(bloom.num_hash_functions, bloom.bits)
    raise PsiError("PSI filter is neither a Golomb-coded set, a raw list nor a Bloom filter")
