"""Kuest API credentials (the L2 key set)."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field

from .._credentials import header_value, non_blank
from ..errors import ConfigurationError


def decode_secret(secret: str) -> bytes:
    """The HMAC key from a base64 secret in either alphabet (`+/` or `-_`), padded or not.

    Raises:
        ConfigurationError: the secret is not base64 (it is never used raw).
    """
    text = secret.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        key: bytes | None = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = None
    if key is None:  # raised outside the handler: the decoder's error (which may hold the
        # secret, as a UnicodeEncodeError's .object does) must not ride along as __context__
        raise ConfigurationError("KuestKeys.api_secret is not valid base64")
    if not key:
        raise ConfigurationError("KuestKeys.api_secret decodes to nothing")
    return key


@dataclass(frozen=True, slots=True)
class KuestKeys:
    """A Kuest L2 API key: wallet address, key, base64 secret and passphrase.

    The secret and passphrase never appear in repr or str.

    Raises:
        ConfigurationError: a field is empty, a header-bound field is not visible ASCII, or the
            secret is not base64.
    """

    address: str
    api_key: str
    api_secret: str = field(repr=False)
    api_passphrase: str = field(repr=False)

    def __post_init__(self) -> None:
        header_value("KuestKeys.address", self.address)
        header_value("KuestKeys.api_key", self.api_key)
        decode_secret(non_blank("KuestKeys.api_secret", self.api_secret))
        header_value("KuestKeys.api_passphrase", self.api_passphrase)

    @classmethod
    def from_env(cls) -> KuestKeys:
        """Read KUEST_ADDRESS, KUEST_API_KEY, KUEST_API_SECRET and KUEST_API_PASSPHRASE.

        Raises:
            ConfigurationError: a variable is unset or empty (its name is given), or the
                secret is not base64.
        """
        names = ("KUEST_ADDRESS", "KUEST_API_KEY", "KUEST_API_SECRET", "KUEST_API_PASSPHRASE")
        missing = [name for name in names if not os.environ.get(name, "").strip()]
        if missing:
            raise ConfigurationError(f"missing environment variables: {', '.join(missing)}")
        return cls(*(os.environ[name] for name in names))
