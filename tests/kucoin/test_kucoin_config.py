"""Keys from the environment, timeouts, user-supplied transports and clients, closing."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    ConfigurationError,
    InvalidRequest,
    KucoinKeys,
    KucoinSpotCancelOrder,
)
from support.kucoin import ASYNC, BASE_URL, SYNC, Twin, envelope, fake_kucoin, twins
from support.kucoin_oracle import verify_signed

ENV = {
    "KUCOIN_API_KEY": "env-key-6f1d",
    "KUCOIN_API_SECRET": "env-secret-93ab77",
    "KUCOIN_API_PASSPHRASE": "env-pass-c0ffee",
}
NAMES = [*ENV, "KUCOIN_API_KEY_VERSION"]
KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_from_env_reads_the_variables_with_version_3_by_default(
    clean_env: pytest.MonkeyPatch,
) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    keys = KucoinKeys.from_env()
    assert (keys.api_key, keys.api_secret, keys.api_passphrase, keys.key_version) == (
        ENV["KUCOIN_API_KEY"],
        ENV["KUCOIN_API_SECRET"],
        ENV["KUCOIN_API_PASSPHRASE"],
        "3",
    )


@pytest.mark.parametrize("version", ["2", "3"])
def test_from_env_reads_the_key_version(clean_env: pytest.MonkeyPatch, version: str) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("KUCOIN_API_KEY_VERSION", version)
    assert KucoinKeys.from_env().key_version == version


@pytest.mark.parametrize(
    "missing",
    [["KUCOIN_API_KEY"], ["KUCOIN_API_SECRET", "KUCOIN_API_PASSPHRASE"], list(ENV)],
)
@pytest.mark.parametrize("how", ["unset", "empty", "blank"])
def test_from_env_names_the_missing_variables_not_the_values(
    clean_env: pytest.MonkeyPatch, missing: list[str], how: str
) -> None:
    for name, value in ENV.items():
        if name not in missing:
            clean_env.setenv(name, value)
        elif how != "unset":
            clean_env.setenv(name, "" if how == "empty" else "   ")
    with pytest.raises(ConfigurationError) as caught:
        KucoinKeys.from_env()
    message = str(caught.value)
    assert isinstance(caught.value, InvalidRequest)
    for name in ENV:
        assert (name in message) is (name in missing), name
    for value in ENV.values():
        assert value not in message
        assert value not in repr(caught.value)


@pytest.mark.parametrize("version", ["1", "4", "v3", " 3", "3.0", "33"])
def test_from_env_rejects_other_key_versions(clean_env: pytest.MonkeyPatch, version: str) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("KUCOIN_API_KEY_VERSION", version)
    with pytest.raises(ConfigurationError):
        KucoinKeys.from_env()


@pytest.mark.parametrize("version", ["1", "4", "", 3, None])
def test_keys_reject_other_key_versions(version: Any) -> None:
    with pytest.raises(ConfigurationError):
        KucoinKeys(api_key="k", api_secret="s", api_passphrase="p", key_version=version)


@pytest.mark.parametrize("field", ["api_key", "api_secret", "api_passphrase"])
@pytest.mark.parametrize("value", ["", "  ", None, 7])
def test_keys_reject_empty_fields(field: str, value: Any) -> None:
    fields: dict[str, Any] = {"api_key": "k", "api_secret": "s", "api_passphrase": "p"}
    with pytest.raises(ConfigurationError):
        KucoinKeys(**(fields | {field: value}))


@twins
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("api_key", "kéy"),  # KC-API-KEY is an HTTP header: ASCII only
        ("api_key", "key\u2028"),
        ("api_secret", "secret\udcff"),  # os.environ's surrogateescape of a non-UTF-8 byte
        ("api_passphrase", "pass\udcff"),
    ],
)
def test_keys_that_cannot_be_sent_are_refused_at_construction(
    twin: Twin, field: str, value: str
) -> None:
    """Such keys raise ConfigurationError up front (or work), never a UnicodeEncodeError later."""
    fields = {"api_key": "k", "api_secret": "s", "api_passphrase": "p"} | {field: value}
    try:
        keys = KucoinKeys(**fields)
    except ConfigurationError:
        return
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        router.route().mock(side_effect=fake_kucoin)
        with pytest.raises(ConfigurationError):
            twin.call("cancel_all_orders", client_kwargs={"keys": keys})


@twins
def test_client_reads_keys_from_env_when_omitted(twin: Twin, clean_env: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        twin.call("cancel_all_orders")
    env_keys = KucoinKeys(
        api_key=ENV["KUCOIN_API_KEY"],
        api_secret=ENV["KUCOIN_API_SECRET"],
        api_passphrase=ENV["KUCOIN_API_PASSPHRASE"],
    )
    assert verify_signed(route.calls.last.request, env_keys) == []


@twins
def test_client_without_keys_or_env_is_a_configuration_error(
    twin: Twin, clean_env: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        twin.make()
    assert "KUCOIN_API_SECRET" in str(caught.value)


@twins
def test_default_timeout_is_finite_and_reaches_the_request(twin: Twin) -> None:
    timeouts = []

    def cancel(client: Any) -> Any:
        timeouts.append(client.timeout)
        return client.cancel_all_orders()

    # A client with every default (never used: the async default transport is not httpx's).
    default = twin.cls(keys=KEYS).timeout
    assert isinstance(default, httpx.Timeout)
    assert all(isinstance(v, int | float) and v > 0 for v in default.as_dict().values())
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        twin.run(cancel, keys=KEYS)
    (timeout,) = timeouts
    assert timeout == default
    sent = route.calls.last.request.extensions["timeout"]
    assert set(sent) == {"connect", "read", "write", "pool"}
    assert all(isinstance(v, int | float) and v > 0 for v in sent.values()), sent
    assert sent == timeout.as_dict()


@twins
def test_a_given_timeout_is_used(twin: Twin) -> None:
    timeout = httpx.Timeout(1.25, connect=0.5)
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        twin.call("cancel_all_orders", client_kwargs={"keys": KEYS, "timeout": timeout})
    assert route.calls.last.request.extensions["timeout"] == timeout.as_dict()


class _RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers like KuCoin and records what it saw and whether it was closed."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return fake_kucoin(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return fake_kucoin(request)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@twins
def test_a_given_transport_is_used_and_closed_with_the_client(twin: Twin) -> None:
    transport = _RecordingTransport()
    twin.call(
        "cancel_all_orders_by_symbol",
        "BTC-USDT",
        client_kwargs={"keys": KEYS, "transport": transport},
    )
    assert len(transport.requests) == 1
    assert verify_signed(transport.requests[0], KEYS) == []
    assert transport.requests[0].url.host == "api.kucoin.com"
    assert transport.closed  # the context manager closed the client, hence its transport


def test_a_given_http_client_is_used_and_left_open() -> None:
    transport = _RecordingTransport()
    with httpx.Client(transport=transport) as mine:
        with SYNC.make(keys=KEYS, http_client=mine) as kc:
            kc.cancel_all_orders()
        assert len(transport.requests) == 1
        assert verify_signed(transport.requests[0], KEYS) == []
        assert not mine.is_closed
        assert not transport.closed


@pytest.mark.asyncio
async def test_a_given_async_http_client_is_used_and_left_open() -> None:
    transport = _RecordingTransport()
    async with httpx.AsyncClient(transport=transport) as mine:
        async with ASYNC.make(keys=KEYS, http_client=mine) as kc:
            await kc.cancel_all_orders()
        assert len(transport.requests) == 1
        assert verify_signed(transport.requests[0], KEYS) == []
        assert not mine.is_closed
        assert not transport.closed


def test_sync_context_manager_closes_and_returns_the_client() -> None:
    transport = _RecordingTransport()
    client = KucoinSpotCancelOrder(keys=KEYS, transport=transport)
    with client as entered:
        assert entered is client
    assert transport.closed


@pytest.mark.asyncio
async def test_async_context_manager_closes_and_returns_the_client() -> None:
    transport = _RecordingTransport()
    client = AsyncKucoinSpotCancelOrder(keys=KEYS, transport=transport)
    async with client as entered:
        assert entered is client
    assert transport.closed


def test_sync_close_without_context_manager() -> None:
    transport = _RecordingTransport()
    KucoinSpotCancelOrder(keys=KEYS, transport=transport).close()
    assert transport.closed


@pytest.mark.asyncio
async def test_async_aclose_without_context_manager() -> None:
    transport = _RecordingTransport()
    await AsyncKucoinSpotCancelOrder(keys=KEYS, transport=transport).aclose()
    assert transport.closed


@pytest.mark.asyncio
async def test_async_client_runs_cancels_concurrently() -> None:
    """Two cancels in flight on one async client each get their own answer."""
    async with ASYNC.make(keys=KEYS, transport=_RecordingTransport()) as kc:
        first, second = await asyncio.gather(
            kc.cancel_order_by_order_id("aaa111", "BTC-USDT"),
            kc.cancel_order_by_client_oid("bbb 222", "ETH-USDT"),
        )
    assert first.order_id == "aaa111"
    assert second.client_oid == "bbb 222"


@twins
def test_base_url_is_where_requests_go(twin: Twin) -> None:
    with respx.mock(base_url="https://kucoin.example.test") as router:
        route = router.route().respond(200, content=envelope("success"))
        result = twin.call(
            "cancel_all_orders_by_symbol",
            "BTC-USDT",
            client_kwargs={"keys": KEYS, "base_url": "https://kucoin.example.test"},
        )
    assert result.symbol == "BTC-USDT"
    assert route.calls.last.request.url.host == "kucoin.example.test"
