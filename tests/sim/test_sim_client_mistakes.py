"""A client's mistake never gets a 500: any header value, any body, the venue's own envelope.

Users run the simulator in CI against their own, possibly buggy, code. Whatever the header values
(non-digit or 5,000-digit timestamps, Unicode digits, bytes that are not UTF-8, empty) and however
long the body, each simulated venue answers with its own error envelope and status, served and
in-process alike, and the order book does not change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ordercancel.testing import KucoinExchange, KuestExchange
from support.kucoin_oracle import signed_headers as kucoin_headers
from support.kuest_oracle import signed_headers as kuest_headers

SMALL_LIMIT = 256  # bodies around the size limit stay cheap to draw
# A timestamp in digits that str.isdigit() accepts and an ASCII-only check refuses.
ARABIC_INDIC_DIGITS = ("\u0661\u0667" + "\u0660" * 11).encode()
FULLWIDTH_DIGITS = ("\uff11\uff17" + "\uff10" * 11).encode()

# -- the two venues, each seeded with open orders ------------------------------------------------


def kucoin() -> KucoinExchange:
    ex = KucoinExchange()
    ex.add_order("BTC-USDT", "1", order_id="671124f9365ccb00073debd4", client_oid="oid 1")
    ex.add_order("ETH-USDT", "2", order_id="6711f73c1ef16c000717bb31")
    return ex


def kuest() -> KuestExchange:
    ex = KuestExchange()
    ex.add_order(order_id="0x" + "ab" * 32)
    ex.add_order(order_id="0x" + "cd" * 32)
    return ex


KUCOIN_TARGETS = [
    "/api/v1/hf/orders/671124f9365ccb00073debd4?symbol=BTC-USDT",
    "/api/v1/hf/orders/client-order/oid%201?symbol=BTC-USDT",
    "/api/v1/hf/orders/cancel/671124f9365ccb00073debd4?symbol=BTC-USDT&cancelSize=0.5",
    "/api/v1/hf/orders?symbol=ETH-USDT",
    "/api/v1/hf/orders/cancelAll",
]
KUEST_TARGETS = ["/order", "/orders", "/cancel-all", "/cancel-market-orders"]
KUCOIN_AUTH = ["KC-API-KEY", "KC-API-SIGN", "KC-API-TIMESTAMP", "KC-API-PASSPHRASE"]
KUEST_AUTH = ["KUEST_ADDRESS", "KUEST_API_KEY", "KUEST_PASSPHRASE", "KUEST_TIMESTAMP",
              "KUEST_SIGNATURE"]  # fmt: skip


def kucoin_signed(ex: Any, target: str, body: bytes) -> dict[str, bytes]:
    headers = kucoin_headers(ex.keys, "DELETE", target, body=body.decode("latin-1"))
    return {k: v.encode() for k, v in headers.items()}


def kuest_signed(ex: Any, target: str, body: bytes) -> dict[str, bytes]:
    return {k: v.encode() for k, v in kuest_headers(ex.keys, "DELETE", target, body).items()}


def check_kucoin(response: httpx.Response) -> None:
    assert response.status_code < 500, response.content
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "msg"}, body
    assert re.fullmatch(r"[0-9]{6}", body["code"]), body
    assert body["code"] != "200000", body
    assert isinstance(body["msg"], str)


def check_kuest(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, response.content
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"], str)


VENUES: dict[str, tuple[Callable[[], Any], list[str], list[str], Any, Any]] = {
    "kucoin": (kucoin, KUCOIN_TARGETS, KUCOIN_AUTH, kucoin_signed, check_kucoin),
    "kuest": (kuest, KUEST_TARGETS, KUEST_AUTH, kuest_signed, check_kuest),
}


@contextmanager
def both_forms(make: Callable[[], Any]) -> Iterator[list[tuple[Any, httpx.Client]]]:
    """One venue, reached in-process and served, each with a client."""
    ex = make()
    ex.max_body_bytes = SMALL_LIMIT
    placeholder = ex.base_url
    with (
        ex.serve() as served,
        httpx.Client(base_url=placeholder, transport=ex.transport()) as a,
        httpx.Client(base_url=served.base_url) as b,
    ):
        yield [(ex, a), (ex, b)]


def book(ex: Any) -> list[Any]:
    return ex.orders()


def send(client: httpx.Client, target: str, headers: dict[str, bytes], body: bytes) -> Any:
    return client.request("DELETE", target, headers=headers, content=body)


def answer(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, json.loads(response.content)


# -- what a buggy client may put in a header -----------------------------------------------------

NAMED_VALUES = [
    b"",
    b"9" * 5000,  # more digits than int() reads
    ARABIC_INDIC_DIGITS,
    FULLWIDTH_DIGITS,
    "²³".encode(),  # digits to str.isdigit, not to int()
    b"\xff\xfe\x80",  # not UTF-8
    "pässphrase".encode("latin-1"),
    "pässphrase".encode(),
    b"-1",
    b"1e12",
    b"0x10",
    b"3 3",
    b"null",
]
_FIELD_BYTES = [bytes([b]) for b in [*range(0x21, 0x7F), *range(0x80, 0x100)]] + [b" ", b"\t"]
header_values = st.one_of(
    st.sampled_from(NAMED_VALUES),
    # h11 (httpx) refuses to send surrounding whitespace; inside a value it is fine.
    st.lists(st.sampled_from(_FIELD_BYTES), max_size=40).map(lambda v: b"".join(v).strip()),
    st.integers(min_value=0, max_value=10**30).map(lambda n: str(n).encode()),
)
bodies = st.one_of(
    st.just(b""),
    st.binary(max_size=64),
    st.sampled_from([b"{}", b"[]", b'{"orderId":null}', b'{"market":""}', b"[" * 200]),
    st.integers(SMALL_LIMIT + 1, SMALL_LIMIT + 64).map(lambda n: b"x" * n),
)


@st.composite
def mistakes(draw: st.DrawFn, venue: str) -> tuple[str, dict[str, bytes | None], bytes]:
    """A target, header changes (None: removed) with at least one credential wrong, a body."""
    _, targets, auth, _, _ = VENUES[venue]
    target = draw(st.sampled_from(targets))
    wrong = draw(st.lists(st.sampled_from(auth), min_size=1, max_size=len(auth), unique=True))
    changes: dict[str, bytes | None] = {
        name: draw(st.one_of(st.none(), header_values)) for name in wrong
    }
    if draw(st.booleans()):
        changes["Content-Type"] = draw(st.one_of(st.none(), header_values))
    return target, changes, draw(bodies)


@pytest.mark.parametrize("venue", list(VENUES))
def test_any_header_values_and_body_get_the_venues_envelope(venue: str) -> None:
    make, _, _, signed, check = VENUES[venue]
    with both_forms(make) as forms:
        before = book(forms[0][0])

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(mistakes(venue))
        def run(mistake: tuple[str, dict[str, bytes | None], bytes]) -> None:
            target, changes, body = mistake
            valid = signed(forms[0][0], target, body)
            headers = {k: v for k, v in valid.items() if k not in changes}
            headers |= {k: v for k, v in changes.items() if v is not None}
            # A "change" that happens to keep a credential valid is no mistake.
            assume(any(headers.get(k) != valid[k] for k in changes if k != "Content-Type"))
            if venue == "kuest" and "KUEST_ADDRESS" in headers:
                assume(
                    changes.keys() - {"KUEST_ADDRESS", "Content-Type"}
                    or headers["KUEST_ADDRESS"].lower() != valid["KUEST_ADDRESS"].lower()
                )
            answers = []
            for _, client in forms:
                response = send(client, target, headers, body)
                check(response)
                answers.append(answer(response))
            assert answers[0] == answers[1]  # served and in-process alike
            assert book(forms[0][0]) == before

        run()


# -- the named cases, one by one, with the venue's code --------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("KC-API-TIMESTAMP", b"9" * 5000, "400002"),
        ("KC-API-TIMESTAMP", ARABIC_INDIC_DIGITS, "400002"),
        ("KC-API-TIMESTAMP", "²³".encode(), "400002"),
        ("KC-API-TIMESTAMP", b"soon", "400002"),
        ("KC-API-PASSPHRASE", b"\xff\xfe\x80", "400004"),
        ("KC-API-SIGN", b"\xff\xfe\x80", "400005"),
        ("KC-API-KEY", b"\xff\xfe\x80", "400003"),
        ("KC-API-KEY-VERSION", b"\xff", "400009"),
        ("KC-API-SIGN", b"", "400001"),
    ],
)
def test_kucoin_named_header_mistakes(header: str, value: bytes, code: str) -> None:
    target = KUCOIN_TARGETS[0]
    with both_forms(kucoin) as forms:
        for ex, client in forms:
            headers = kucoin_signed(ex, target, b"") | {header: value}
            response = send(client, target, headers, b"")
            assert answer(response) == (401, {"code": code, "msg": response.json()["msg"]})
            assert {o.state for o in ex.orders()} == {"live"}


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("KUEST_TIMESTAMP", b"9" * 5000),
        ("KUEST_TIMESTAMP", ARABIC_INDIC_DIGITS),
        ("KUEST_TIMESTAMP", "²³".encode()),
        ("KUEST_PASSPHRASE", b"\xff\xfe\x80"),
        ("KUEST_SIGNATURE", b"\xff\xfe\x80"),
        ("KUEST_API_KEY", b"\xff\xfe\x80"),
        ("KUEST_ADDRESS", b"\xff"),
        ("KUEST_SIGNATURE", b""),
    ],
)
def test_kuest_named_header_mistakes(header: str, value: bytes) -> None:
    with both_forms(kuest) as forms:
        for ex, client in forms:
            headers = kuest_signed(ex, "/cancel-all", b"") | {header: value}
            response = send(client, "/cancel-all", headers, b"")
            assert answer(response) == (401, {"error": "Unauthenticated"})
            assert {o.state for o in ex.orders()} == {"live"}


@pytest.mark.parametrize("max_body_bytes", [None, SMALL_LIMIT])
def test_a_body_over_the_limit_gets_413_in_the_venues_envelope(max_body_bytes: int | None) -> None:
    for make, target, signed, expected in [
        (kucoin, KUCOIN_TARGETS[3], kucoin_signed, {"code": "400100"}),
        (kuest, "/orders", kuest_signed, {}),
    ]:
        with both_forms(make) as forms:
            ex = forms[0][0]
            ex.max_body_bytes = max_body_bytes or 1_048_576
            body = json.dumps(["0x" + "ab" * 32] * (ex.max_body_bytes // 60 + 1)).encode()
            assert len(body) > ex.max_body_bytes
            headers = signed(ex, target, body)
            answers = [answer(send(client, target, headers, body)) for _, client in forms]
            assert {o.state for o in ex.orders()} == {"live"}
        assert answers[0] == answers[1]
        status, payload = answers[0]
        assert status == 413
        assert payload.items() >= expected.items()


def test_a_cursor_of_thousands_of_digits_is_a_400_not_a_500() -> None:
    """A client's absurd `next_cursor` (base64 of 5,000 digits) is the client's mistake."""
    import base64

    from ordercancel import KuestCancelOrder
    from ordercancel.testing import KuestExchange

    exchange = KuestExchange()
    cursor = base64.b64encode(b"9" * 5000).decode()
    with KuestCancelOrder(keys=exchange.keys, transport=exchange.transport()) as kq:
        signed = kq._api.get_httpx_client()  # signs as the client does: past authentication
        answer = signed.get("/data/orders", params={"next_cursor": cursor})
    assert answer.status_code == 400
    assert set(answer.json()) == {"error"}
