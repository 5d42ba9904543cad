"""The public surface is pinned: an exact, sorted `__all__`, documented, no generated names."""

from __future__ import annotations

import inspect
import types

import ordercancel
import pytest

# Extend this list on purpose when a public name is added; never rename (DESIGN.md).
EXPECTED = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncDisconnectProtectionGuard",
    "AsyncHeartbeatKeeper",
    "AsyncKucoinSpotCancelOrder",
    "AsyncKuestCancelOrder",
    "AuthenticationError",
    "BeatAbandoned",
    "CancelAllResult",
    "ClientClosedError",
    "ClientOrderCancelAccepted",
    "ConfigurationError",
    "DisconnectProtectionArmed",
    "DisconnectProtectionGuard",
    "DisconnectProtectionSetting",
    "FailedSymbol",
    "FlattenReport",
    "HeartbeatKeeper",
    "InvalidRequest",
    "KucoinAPIError",
    "KucoinAuthenticationError",
    "KucoinCancelAllIncomplete",
    "KucoinKeys",
    "KucoinOpenOrder",
    "KucoinOrderNotCancellable",
    "KucoinOrderStillOpen",
    "KucoinRateLimited",
    "KucoinServerError",
    "KucoinSpotCancelOrder",
    "KucoinUnexpectedResponse",
    "KuestAPIError",
    "KuestAuthenticationError",
    "KuestCancelIncomplete",
    "KuestCancelOrder",
    "KuestCancelReport",
    "KuestInvalidHeartbeatId",
    "KuestKeys",
    "KuestOpenOrder",
    "KuestOrderCanceled",
    "KuestOrderNotCancellable",
    "KuestOrderNotFound",
    "KuestPermissionDenied",
    "KuestRateLimited",
    "KuestServerError",
    "KuestUnexpectedResponse",
    "LeftOrder",
    "OrderCancelAccepted",
    "OrderCancelError",
    "OrderGoneAfterRetry",
    "OrderNotCancellable",
    "OrderNotFound",
    "OrderOutcome",
    "PartialCancelAccepted",
    "PermissionDenied",
    "RateLimitInfo",
    "RateLimitWaitTooLong",
    "RateLimited",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "SymbolCancelAccepted",
    "SyncCancelResult",
    "UnexpectedResponse",
    "WrongEventLoopError",
    "aflatten",
    "flatten",
    "spot_rate_limiter",
]
GENERATED_PACKAGES = ("ordercancel_kucoin_api", "ordercancel_kuest_api")


def test_all_is_exactly_the_expected_alphabetised_set() -> None:
    assert sorted(EXPECTED) == EXPECTED
    assert len(set(EXPECTED)) == len(EXPECTED)
    assert list(ordercancel.__all__) == EXPECTED


def test_the_design_names_are_public() -> None:
    design = {
        "KucoinSpotCancelOrder",
        "AsyncKucoinSpotCancelOrder",
        "KucoinKeys",
        "KuestCancelOrder",
        "AsyncKuestCancelOrder",
        "KuestKeys",
        "OrderCancelError",
        "InvalidRequest",
        "KucoinAPIError",
        "KuestAPIError",
    }
    assert design <= set(ordercancel.__all__)
    assert issubclass(ordercancel.InvalidRequest, ordercancel.OrderCancelError)
    assert issubclass(ordercancel.InvalidRequest, ValueError)


@pytest.mark.parametrize("name", EXPECTED)
def test_public_name_is_ours_and_documented(name: str) -> None:
    obj = getattr(ordercancel, name)
    assert not isinstance(obj, types.ModuleType)
    module = getattr(obj, "__module__", "") or ""
    assert module.startswith("ordercancel"), module
    assert not module.startswith(GENERATED_PACKAGES), module
    assert inspect.getdoc(obj), f"{name} has no docstring"
    if inspect.isclass(obj):
        assert obj.__doc__, f"{name} inherits its docstring instead of having one"
        for attr, member in vars(obj).items():
            if attr.startswith("_"):
                continue
            target = member.fget if isinstance(member, property) else member
            if isinstance(target, classmethod | staticmethod):
                target = target.__func__
            if inspect.isfunction(target):
                assert inspect.getdoc(target), f"{name}.{attr} has no docstring"


def test_no_generated_module_is_named_in_all() -> None:
    assert not [n for n in ordercancel.__all__ if n.startswith(GENERATED_PACKAGES)]
    assert all(n.isidentifier() for n in ordercancel.__all__)
