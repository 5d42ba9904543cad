"""Hypothesis strategies for the KuCoin tests: valid inputs, hostile inputs, hostile answers."""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from ordercancel import KucoinKeys

# --- valid inputs (KuCoin's documented forms) ---------------------------------------------------

# orderId: KuCoin issues 24 hex digits; the wrapper documents 1-64 hex digits of either case.
order_ids = st.one_of(
    st.text(alphabet="0123456789abcdef", min_size=24, max_size=24),
    st.text(alphabet=string.hexdigits, min_size=1, max_size=64),
)

# clientOid: free text of at most 40 characters; printable ASCII incl. spaces and punctuation,
# minus what would move the request elsewhere (/ \ ? # %), no edge spaces, no dot segments.
CLIENT_OID_ALPHABET = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "/\\?#%")
client_oids = st.one_of(
    st.sampled_from(
        ["client order id 13", "5c52e11203aa677f33e493fb", "a b", "...", "~!$&'()*+,;=:@"]
    ),
    st.uuids().map(str),
    st.text(alphabet=CLIENT_OID_ALPHABET, min_size=1, max_size=40).filter(
        lambda s: s.strip(" ") == s and s.strip() != "" and s not in (".", "..")
    ),
)

symbols = st.one_of(
    st.sampled_from(["BTC-USDT", "ETH-BTC", "1INCH-USDT", "KCS-USDC"]),
    st.from_regex(r"[A-Z0-9]{1,20}-[A-Z0-9]{1,20}", fullmatch=True),
)


@st.composite
def cancel_sizes(draw: st.DrawFn) -> tuple[Any, Decimal]:
    """(a valid cancel size as str, Decimal or int; its exact value)."""
    extra = draw(st.sampled_from([None, "5.", ".5", "007", "0.00001", "1e-5", "2E+3"]))
    if extra is not None:
        return extra, Decimal(extra)
    mantissa = draw(st.integers(1, 10**18 - 1))
    exponent = draw(st.integers(-20, 10))
    value = Decimal(mantissa).scaleb(exponent)
    form = draw(st.sampled_from(["decimal", "str", "str-lower", "plain", "int"]))
    if form == "int" and exponent >= 0:
        return int(value), value
    if form == "str":
        return str(value), value
    if form == "str-lower":
        return str(value).lower(), value
    if form == "plain":
        return format(value, "f"), value
    return value, value


# Secrets: any text a user could hold (not only ASCII); the api key itself is a header value.
secret_text = st.text(min_size=1, max_size=64).filter(lambda s: s.strip() != "")


@st.composite
def keys(draw: st.DrawFn) -> KucoinKeys:
    """Valid KucoinKeys of either supported version."""
    return KucoinKeys(
        api_key=draw(
            st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=40)
        ),
        api_secret=draw(secret_text),
        api_passphrase=draw(secret_text),
        key_version=draw(st.sampled_from(["2", "3"])),
    )


timestamps = st.integers(1_500_000_000_000, 2_500_000_000_000)

VALID_ARGS = {"order_id": order_ids, "client_oid": client_oids, "symbol": symbols}

# --- hostile inputs ------------------------------------------------------------------------------

NASTY_TEXT = [
    "",
    " ",
    ".",
    "..",
    "...",
    "./x",
    "../x",
    "x/..",
    "/",
    "//",
    "a/b",
    "?",
    "a?symbol=ETH-USDT",
    "#",
    "a#b",
    "%",
    "%2F",
    "%2e%2e",
    "%00",
    "a%20b",
    "\\",
    "a\\b",
    "\x00",
    "a\nb",
    "\r\n",
    "\t",
    "\x7f",
    " lead",
    "trail ",
    "é",
    "日本",
    "\u202e",
    "\ufeff",
    "\u2044",  # fraction slash
    "\uff0f",  # fullwidth solidus
    "a" * 41,
    "a" * 65,
    "A" * 10_000,
    "cancelAll",
    "cancel",
    "client-order",
    "sync",
    "BTC-USDT",
    "btc-usdt",
    "BTC_USDT",
    "BTC-USDT&cancelSize=1",
    "-",
    "BTC-",
    "NaN",
    "inf",
    "-1",
    "0",
    "1e5",
    "1,5",
    " 1",
    "+1",
    "0x10",
    "1_000",
    # Unicode digits (issue 12, item 7): Decimal, int and `\d` read them as numbers.
    "\uff11.\uff15",  # fullwidth "1.5"
    "\u0663",  # Arabic-Indic three
    "\U0001d7cf",  # mathematical bold one
    "1\u0663",
    "0.\uff15",
    "1e\u0663",
    "\u0967\u0968",  # Devanagari "12"
    "\uff16\uff17\uff11\uff11\uff12\uff14f9365ccb00073debd4",  # an order id, fullwidth digits
    "BTC-USD\u0663",
    "\uff22TC-USDT",  # fullwidth B
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)

# Text with digits of any script, mixed with ASCII number characters.
unicode_digits = st.text(
    alphabet=st.characters(categories=["Nd"]) | st.sampled_from(".eE-+0123456789abcdefABTCUSD"),
    min_size=1,
    max_size=12,
)

anything = st.one_of(
    st.sampled_from(NASTY_TEXT),
    unicode_digits,
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.text(alphabet=string.printable, max_size=70),
    st.binary(max_size=40),
    st.integers(),
    st.floats(),  # NaN, inf, -0.0 included
    st.decimals(),  # NaN, sNaN, inf included
    st.booleans(),
    st.none(),
    st.lists(st.text(), max_size=2),
    json_values,
)

# --- hostile answers -----------------------------------------------------------------------------

ENVELOPE_CODES = [
    "200000",
    *(f"40000{n}" for n in range(1, 10)),
    "400100",
    "200002",
    "411100",
    "415000",
    "429000",
    "500000",
    "",
    "200000 ",
    "0",
]
# KuCoin's spellings of "order does not exist / cannot be cancelled" under code 400100
# (shared/api/kucoin.md, and those seen in the wild: issue 12, item 3).
NOT_CANCELLABLE_MSGS = [
    "order_not_exist_or_not_allow_to_cancel",
    "order_not_exist",
    "order not exist",
    "Order not exist.",
    "Order not exist or not allow to be cancelled",
]
NOT_CANCELLABLE_WORDS = frozenset(
    tuple(re.split(r"[ _]", msg.lower().removesuffix("."))) for msg in NOT_CANCELLABLE_MSGS
)


def says_not_cancellable(msg: object) -> bool:
    """The oracle: one of the spellings, whatever its case, its spaces or underscores between
    words (and around them), and one final full stop."""
    if not isinstance(msg, str):
        return False
    text = msg.strip()
    text = text[:-1] if text.endswith(".") else text
    words = tuple(word for word in re.split(r"[\s_]+", text.lower()) if word)
    return words in NOT_CANCELLABLE_WORDS


statuses = st.one_of(
    st.sampled_from([200, 201, 204, 299, 400, 401, 403, 404, 429, 499, 500, 502, 503, 599]),
    st.integers(100, 599),
)

header_values = st.one_of(
    st.integers(0, 10**12).map(lambda n: str(n).encode()),
    st.sampled_from([b"", b" 42 ", b"-1", b"1e3", b"1.5", b"\xb2", b"\xd9\xa1\xd9\xa2", b"12a"]),
    st.text(alphabet=string.ascii_letters + string.digits + " -.", max_size=8).map(str.encode),
)
rate_limit_headers = st.dictionaries(
    st.sampled_from(["gw-ratelimit-limit", "gw-ratelimit-remaining", "gw-ratelimit-reset"]),
    header_values,
)


@st.composite
def envelopes(draw: st.DrawFn, good_data: Any) -> dict[str, Any]:
    """KuCoin-like envelopes: right or wrong code, msg and data of any type or absent."""
    body: dict[str, Any] = {}
    code = draw(st.one_of(st.sampled_from(ENVELOPE_CODES), st.text(max_size=8), json_values))
    if draw(st.integers(0, 4)):
        body["code"] = code
    msg = draw(st.one_of(st.sampled_from(NOT_CANCELLABLE_MSGS), st.text(max_size=20), json_values))
    if draw(st.booleans()):
        body["msg"] = msg
    data = draw(st.one_of(st.just(good_data), st.none(), json_values))
    if draw(st.integers(0, 4)):
        body["data"] = data
    return body


@st.composite
def bodies(draw: st.DrawFn, good_data: Any) -> bytes:
    """Answer bodies of every kind: envelopes, other JSON, truncated JSON, HTML, bytes, nothing."""
    kind = draw(
        st.sampled_from(
            [
                "envelope",
                "envelope",
                "success",
                "json",
                "truncated",
                "html",
                "bytes",
                "empty",
                "deep",
            ]
        )
    )
    if kind == "envelope":
        return json.dumps(draw(envelopes(good_data))).encode()
    if kind == "success":
        return json.dumps({"code": "200000", "data": good_data}).encode()
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "truncated":
        text = json.dumps(draw(envelopes(good_data))).encode()
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    if kind == "html":
        return b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    if kind == "deep":
        depth = draw(st.integers(1, 50_000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    if kind == "empty":
        return b""
    return draw(st.binary(max_size=64))
