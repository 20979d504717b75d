"""The status table, both ways, without a socket: registry coverage, metadata, fallback."""

from __future__ import annotations

import inspect
from typing import Any, NoReturn, cast

import grpc
import pytest

from liaison.core import errors
from liaison.core.errors import ERROR_CLASSES, LiaisonError
from liaison.wire.status import (
    ERROR_BY_STATUS,
    ERROR_CLASS_HEADER,
    STATUS_BY_ERROR,
    error_from_rpc,
    status_for,
    translate_errors,
)

Code = grpc.StatusCode
#: The one class deliberately not relayed as itself, and what it is relayed as.
RELAYED: dict[type[LiaisonError], type[LiaisonError]] = {
    errors.Unreachable: errors.PartnerUnavailable
}


def test_the_registry_holds_every_error_class_of_the_error_module() -> None:
    defined = {
        obj
        for obj in vars(errors).values()
        if inspect.isclass(obj) and issubclass(obj, LiaisonError)
    }
    assert set(ERROR_CLASSES.values()) == defined
    assert all(name == cls.__name__ for name, cls in ERROR_CLASSES.items())


@pytest.mark.parametrize("cls", ERROR_CLASSES.values(), ids=ERROR_CLASSES.keys())
def test_every_registered_class_has_a_status(cls: type[LiaisonError]) -> None:
    assert cls in STATUS_BY_ERROR


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.EnvelopeRejected("x"), Code.PERMISSION_DENIED),
        (errors.PermissionDenied("x"), Code.PERMISSION_DENIED),
        (errors.QueryRefused("x"), Code.PERMISSION_DENIED),
        (errors.QuotaExceeded("x"), Code.RESOURCE_EXHAUSTED),
        (errors.NotFound("x"), Code.NOT_FOUND),
        (errors.PsiError("x"), Code.INVALID_ARGUMENT),
        (errors.ProofError("x"), Code.INVALID_ARGUMENT),
        (errors.StaleAppend("x"), Code.INVALID_ARGUMENT),
        (errors.InvalidInput("x"), Code.INVALID_ARGUMENT),
        (errors.PartnerUnavailable("x"), Code.UNAVAILABLE),
        (errors.PartnerTimeout("x"), Code.UNAVAILABLE),
        (errors.Unreachable("x"), Code.UNAVAILABLE),
        (errors.StorageUnavailable("x"), Code.UNAVAILABLE),
        (errors.AuditUnavailable("x"), Code.UNAVAILABLE),
        (errors.LedgerUnavailable("x"), Code.UNAVAILABLE),
        (errors.ConfigError("x"), Code.FAILED_PRECONDITION),
        (errors.LiaisonError("x"), Code.INTERNAL),
    ],
)
def test_each_error_class_keeps_its_status_code(error: LiaisonError, code: Code) -> None:
    assert status_for(error) == code


class FailedCall(grpc.RpcError):
    """What a client sees of a failed call: code, details, trailing metadata."""

    def __init__(self, code: Code, details: str, metadata: tuple[Any, ...] = ()) -> None:
        self._code = code
        self._details = details
        self._metadata = metadata

    def code(self) -> Code:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> tuple[Any, ...]:
        return self._metadata


@pytest.mark.parametrize("cls", ERROR_CLASSES.values(), ids=ERROR_CLASSES.keys())
def test_a_named_class_is_rebuilt_exactly(cls: type[LiaisonError]) -> None:
    call = FailedCall(STATUS_BY_ERROR[cls], "why", ((ERROR_CLASS_HEADER, cls.__name__),))
    error = error_from_rpc(call)
    assert type(error) is RELAYED.get(cls, cls)
    assert str(error) == "why"


@pytest.mark.parametrize(("code", "cls"), ERROR_BY_STATUS.items(), ids=str)
def test_a_status_without_a_class_name_falls_back_by_code(
    code: Code, cls: type[LiaisonError]
) -> None:
    error = error_from_rpc(FailedCall(code, "why"))
    assert type(error) is cls
    assert str(error) == "why"


def test_transport_codes_read_as_unreachable_and_a_deadline_as_a_timeout() -> None:
    assert type(error_from_rpc(FailedCall(Code.UNAVAILABLE, "x"))) is errors.Unreachable
    assert type(error_from_rpc(FailedCall(Code.CANCELLED, "x"))) is errors.Unreachable
    assert type(error_from_rpc(FailedCall(Code.DEADLINE_EXCEEDED, "x"))) is errors.PartnerTimeout


def test_a_code_outside_the_fallback_table_is_a_bare_error_naming_it() -> None:
    error = error_from_rpc(FailedCall(Code.DATA_LOSS, "why"))
    assert type(error) is LiaisonError
    assert str(error) == "DATA_LOSS: why"


@pytest.mark.parametrize("name", ["os.system", "ValueError", "Record", "", "notfound"])
def test_an_unknown_class_name_falls_back_by_code(name: str) -> None:
    error = error_from_rpc(FailedCall(Code.NOT_FOUND, "why", ((ERROR_CLASS_HEADER, name),)))
    assert type(error) is errors.NotFound


def test_a_class_name_disagreeing_with_the_code_falls_back_by_code() -> None:
    call = FailedCall(Code.NOT_FOUND, "why", ((ERROR_CLASS_HEADER, "QuotaExceeded"),))
    assert type(error_from_rpc(call)) is errors.NotFound


class Aborted(Exception):
    """Stands for the bare exception grpc's ``abort`` raises."""


class FakeContext:
    """The part of a servicer context the translator uses."""

    def __init__(self) -> None:
        self.status: Code | None = None
        self.details = ""
        self.trailing: tuple[tuple[str, str], ...] = ()

    def set_trailing_metadata(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self.trailing = metadata

    def code(self) -> Code | None:
        return self.status

    def abort(self, code: Code, details: str) -> NoReturn:
        self.status = code
        self.details = details
        raise Aborted


def translated(error: BaseException) -> FakeContext:
    """Raise ``error`` inside the translator and return what it told the context."""
    context = FakeContext()
    with pytest.raises(Aborted), translate_errors(cast(grpc.ServicerContext, context), "Test"):
        raise error
    return context


def test_a_liaison_error_is_sent_with_its_status_message_and_class() -> None:
    context = translated(errors.QueryRefused("outside the agreement"))
    assert context.status == Code.PERMISSION_DENIED
    assert context.details == "outside the agreement"
    assert context.trailing == ((ERROR_CLASS_HEADER, "QueryRefused"),)


def test_an_unreachable_partner_is_relayed_as_partner_unavailable() -> None:
    context = translated(errors.Unreachable("no route"))
    assert context.trailing == ((ERROR_CLASS_HEADER, "PartnerUnavailable"),)


def test_an_unregistered_subclass_is_sent_as_its_nearest_registered_class() -> None:
    class Narrower(errors.NotFound):
        pass

    assert translated(Narrower("gone")).trailing == ((ERROR_CLASS_HEADER, "NotFound"),)


def test_an_unexpected_error_is_internal_without_its_cause() -> None:
    context = translated(KeyError("secret value"))
    assert context.status == Code.INTERNAL
    assert context.details == "internal error"
    assert context.trailing == ()


def test_an_abort_made_inside_passes_through_untouched() -> None:
    context = FakeContext()
    context.status = Code.ABORTED  # what grpc's context reports after abort()
    with (
        pytest.raises(Exception) as caught,
        translate_errors(cast(grpc.ServicerContext, context), "Test"),
    ):
        raise Exception  # the bare exception grpc's abort raises
    assert type(caught.value) is Exception
    assert context.status == Code.ABORTED
