"""Secret values kept out of error messages, even when a server echoes the request.

The venues' signers note the secret header values (key, passphrase, signature) of the request
they sign, for the thread or task that sends it; the errors built from its answer replace them
with `[redacted]` in every text they show. `APIError.body` keeps the bytes as received.
"""

from __future__ import annotations

import functools
import re
from contextvars import ContextVar

# The secret values (key, passphrase, signature headers) the request being answered carried, set
# by the venues' signers for the thread or task that sends it: a server that echoes the request
# in its body (a proxy, a misrouted URL) must not put them in a message, a log line or --json.
_sent_secrets: ContextVar[tuple[str, ...]] = ContextVar("ordercancel_sent_secrets", default=())
_REDACTED = "[redacted]"
_SHORTEST_SCRUBBED = 8  # a shorter value is no credential: replacing it would garble the text


def remember_sent_secrets(*values: str) -> None:
    """Note the secret header values of the request about to be sent (see `redacted`)."""
    _sent_secrets.set(values)  # short ones are left out by `_pattern`, once per set of values


def _char(c: str) -> str:
    """A pattern for one character of a secret in any encoding an echo may give it."""
    if c.isascii() and c.isalnum():
        return c
    code = ord(c)
    hex_ = f"{code:02x}"
    return (
        rf"(?:{re.escape(c)}|\\+{re.escape(c)}"  # as sent, or escaped (JSON's "\/"), maybe twice
        rf"|%(?i:{hex_})"  # percent-encoded, either case
        rf"|\\+u(?i:{code:04x})"  # a JSON \uXXXX escape (in JSON quoted in JSON: \\uXXXX)
        f"|&#0*{code};|&#(?i:x)0*(?i:{hex_});)"  # an HTML character reference
    )


@functools.lru_cache(maxsize=64)
def _pattern(values: tuple[str, ...]) -> re.Pattern[str] | None:
    values = tuple(v for v in values if len(v) >= _SHORTEST_SCRUBBED)
    if not values:
        return None
    return re.compile("|".join("".join(_char(c) for c in value) for value in values))


def redacted(text: str) -> str:
    """`text` without the secret values the request being answered sent, however encoded."""
    pattern = _pattern(_sent_secrets.get())
    return text if pattern is None else pattern.sub(_REDACTED, text)


def body_excerpt(body: bytes, size: int = 120) -> str:
    """The start of `body`, quoted for a message.

    Its secrets are redacted before it is cut, so that no part of one is left at the cut.
    """
    if _pattern(_sent_secrets.get()) is not None:
        text = redacted(body.decode("latin-1"))  # one byte, one character: nothing lost
        body = text.encode("latin-1", "replace")
    return repr(body[:size])
