"""Checks shared by the venues' key classes. No message ever quotes the value checked."""

from __future__ import annotations

from .errors import ConfigurationError


def non_blank(where: str, value: object) -> str:
    """`value` if it is a non-blank str."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{where} must be a non-empty string")
    return value


def header_value(where: str, value: object) -> str:
    """`value` if it can be sent as an HTTP header value as is: visible ASCII, no spaces."""
    text = non_blank(where, value)
    if not all("!" <= c <= "~" for c in text):
        raise ConfigurationError(
            f"{where} must be visible ASCII with no spaces (it is sent as an HTTP header)"
        )
    return text


def utf8_text(where: str, value: object) -> str:
    """`value` if it is non-blank text that encodes as UTF-8 (an HMAC key or message)."""
    text = non_blank(where, value)
    try:
        text.encode("utf-8")
        encodes = True
    except UnicodeEncodeError:
        encodes = False
    if not encodes:  # raised outside the handler: the encoder's error (its .object is the
        # text, maybe a secret) must not ride along as __context__
        raise ConfigurationError(f"{where} must be valid UTF-8")
    return text
