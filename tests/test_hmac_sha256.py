"""`HmacSha256` (the signers' HMAC with its key blocks hashed once) against the standard library.

The oracle is `hmac.new(key, message, hashlib.sha256)`, the textbook construction; keys of every
length around SHA-256's 64-byte block (a longer key is hashed first, RFC 2104) and any message.
"""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st
from ordercancel._auth import HmacSha256


@given(key=st.binary(max_size=200), messages=st.lists(st.binary(max_size=300), max_size=4))
def test_the_same_digest_as_hmac_for_any_key_and_messages(
    key: bytes, messages: list[bytes]
) -> None:
    mac = HmacSha256(key)
    for message in messages:  # one instance, many messages: no state carried over
        assert mac.digest(message) == hmac.new(key, message, hashlib.sha256).digest()


def test_keys_at_the_block_boundary() -> None:
    for size in (0, 1, 63, 64, 65, 128):
        key = bytes(range(size))
        assert HmacSha256(key).digest(b"msg") == hmac.new(key, b"msg", hashlib.sha256).digest()


def test_repr_shows_nothing_of_the_key() -> None:
    assert repr(HmacSha256(b"secret-value")) == "HmacSha256(...)"
