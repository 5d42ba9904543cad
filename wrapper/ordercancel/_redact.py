"""Secret values kept out of error messages, even when a server echoes the request.

The venues' signers note the secret header values (key, passphrase, signature) of the request
they sign, for the thread or task that sends it; the errors built from its answer replace them
with `[redacted]` in every text they show. `APIError.body` keeps the bytes as received.
"""

from __future__ import annotations

from contextvars import ContextVar

# The secret values (key, passphrase, signature headers) the request being answered carried, set
# by the venues' signers for the thread or task that sends it: a server that echoes the request
# in its body (a proxy, a misrouted URL) must not put them in a message, a log line or --json.
_sent_secrets: ContextVar[tuple[str, ...]] = ContextVar("ordercancel_sent_secrets", default=())
_REDACTED = "[redacted]"
_SHORTEST_SCRUBBED = 8  # a shorter value is no credential: replacing it would garble the text


def remember_sent_secrets(*values: str) -> None:
    """Note the secret header values of the request about to be sent (see `redacted`)."""
    _sent_secrets.set(tuple(v for v in values if len(v) >= _SHORTEST_SCRUBBED))


def _forms(value: str) -> set[str]:
    """`value` as sent, JSON-escaped ("/" as an escaped slash) and as Python quotes it."""
    return {value, value.replace("/", "\\/"), repr(value)[1:-1]}


def redacted(text: str) -> str:
    """`text` without the secret values the request being answered sent."""
    for value in _sent_secrets.get():
        for form in _forms(value):
            text = text.replace(form, _REDACTED)
    return text


def body_excerpt(body: bytes, size: int = 120) -> str:
    """The start of `body`, quoted for a message.

    Its secrets are redacted before it is cut, so that no part of one is left at the cut.
    """
    for value in _sent_secrets.get():
        for form in _forms(value):
            body = body.replace(form.encode("utf-8", "replace"), _REDACTED.encode())
    return repr(body[:size])
