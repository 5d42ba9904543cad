"""No secret (api secret, passphrase, derived passphrase header, signature) in any repr or error."""

from __future__ import annotations

import string
from typing import Any

import httpx
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import KucoinKeys, OrderCancelError, RetryPolicy
from ordercancel.kucoin._signing import KucoinAuth
from support.kucoin import BASE_URL, HEAVY_PROPERTY, Twin, envelope, twins
from support.kucoin_oracle import kucoin_sign
from support.shown_texts import shown_texts

# Secrets framed by a character no message of ours contains, so that finding one in a text means
# it leaked, not that the secret happens to be "UnexpectedRespon" (hypothesis tries that).
_SECRET_ALPHABET = string.ascii_letters + string.digits + "!#$&*+-=@^_~ \u00e9\u4e2d"
strong_secrets = st.text(alphabet=_SECRET_ALPHABET, min_size=8, max_size=40).map(
    lambda s: f"\u00a4{s}\u00a4"
)


def _texts(obj: Any) -> list[str]:
    """Every text an object shows: str and repr; for an error, everything reachable from it
    (args, the whole cause and context chain, `vars()`, what `logger.exception` prints)."""
    if isinstance(obj, BaseException):
        return shown_texts(obj)
    return [str(obj), repr(obj)]


def _leaks(obj: Any, secrets: dict[str, str]) -> list[str]:
    texts = _texts(obj)
    return [name for name, value in secrets.items() for text in texts if value in text]


BAD_CALLS = [("../x", "BTC-USDT"), ("abc", "btc/usdt")]
GOOD_CALL = ("abc123", "BTC-USDT")


def _errors_of_a_session(twin: Twin, key: KucoinKeys, clock: Any) -> list[Any]:
    """The client, and one error of each family raised during real calls on it."""
    found: list[Any] = []
    answers = [
        httpx.Response(401, content=envelope(None, code="400005", msg="Invalid KC-API-SIGN")),
        httpx.Response(429, content=envelope(None, code="429000", msg="Too Many Requests")),
        httpx.Response(200, content=b"<html>bad gateway</html>"),
        httpx.Response(200, content=envelope({"orderId": "someone-else"})),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ]
    calls = [GOOD_CALL] * len(answers) + BAD_CALLS

    def collect(client: Any) -> Any:
        found.append(client)
        if not twin.is_async:
            for args in calls:
                try:
                    client.cancel_order_by_order_id(*args)
                except OrderCancelError as exc:
                    found.append(exc)
            return None

        async def run() -> None:
            for args in calls:
                try:
                    await client.cancel_order_by_order_id(*args)
                except OrderCancelError as exc:
                    found.append(exc)

        return run()

    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=answers)
        twin.run(collect, keys=key, clock=clock, retry=RetryPolicy(attempts=1))
    return found


@twins
@HEAVY_PROPERTY
@given(secret=strong_secrets, passphrase=strong_secrets, version=st.sampled_from(["2", "3"]))
def test_no_secret_in_any_repr_or_error(
    twin: Twin, secret: str, passphrase: str, version: str
) -> None:
    now = 1_700_000_000_000
    key = KucoinKeys(
        api_key="67a1b2c3d4e5f60001a2b3c4",
        api_secret=secret,
        api_passphrase=passphrase,
        key_version=version,
    )
    prehash = f"{now}DELETE/api/v1/hf/orders/abc123?symbol=BTC-USDT".encode()
    secrets = {
        "api secret": secret,
        "passphrase": passphrase,
        "passphrase header": kucoin_sign(secret, passphrase.encode()),
        "signature": kucoin_sign(secret, prehash),
    }
    objects = [key, KucoinAuth(key), *_errors_of_a_session(twin, key, lambda: now)]
    assert len([o for o in objects if isinstance(o, OrderCancelError)]) == 8
    leaks = {repr(type(o).__name__): _leaks(o, secrets) for o in objects}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_secret_check_can_fail() -> None:
    """Guard for the check itself: a text holding the passphrase header is caught."""
    secrets = {"passphrase header": kucoin_sign("s" * 16, b"p" * 16)}
    assert _leaks(ValueError(f"header {secrets['passphrase header']}"), secrets) != []
