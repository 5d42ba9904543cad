"""KuCoin API credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .._credentials import header_value, utf8_text
from ..errors import ConfigurationError

_SUPPORTED_KEY_VERSIONS = ("2", "3")


@dataclass(frozen=True, slots=True)
class KucoinKeys:
    """A KuCoin API key with its secret and passphrase.

    The secret and passphrase never appear in repr or str.

    Raises:
        ConfigurationError: a field is empty, the key is not visible ASCII, a secret is not
            UTF-8, or the key version is not "2" or "3".
    """

    api_key: str
    api_secret: str = field(repr=False)
    api_passphrase: str = field(repr=False)
    key_version: str = "3"

    def __post_init__(self) -> None:
        header_value("KucoinKeys.api_key", self.api_key)
        utf8_text("KucoinKeys.api_secret", self.api_secret)
        utf8_text("KucoinKeys.api_passphrase", self.api_passphrase)
        if self.key_version not in _SUPPORTED_KEY_VERSIONS:
            raise ConfigurationError(
                f"KucoinKeys.key_version must be one of {_SUPPORTED_KEY_VERSIONS}, "
                f"got {self.key_version!r}"
            )

    @classmethod
    def from_env(cls) -> KucoinKeys:
        """Read KUCOIN_API_KEY, KUCOIN_API_SECRET, KUCOIN_API_PASSPHRASE, KUCOIN_API_KEY_VERSION.

        KUCOIN_API_KEY_VERSION is optional and defaults to "3".

        Raises:
            ConfigurationError: a required variable is unset or empty (its name is given).
        """
        names = ("KUCOIN_API_KEY", "KUCOIN_API_SECRET", "KUCOIN_API_PASSPHRASE")
        missing = [name for name in names if not os.environ.get(name, "").strip()]
        if missing:
            raise ConfigurationError(f"missing environment variables: {', '.join(missing)}")
        return cls(
            api_key=os.environ["KUCOIN_API_KEY"],
            api_secret=os.environ["KUCOIN_API_SECRET"],
            api_passphrase=os.environ["KUCOIN_API_PASSPHRASE"],
            key_version=os.environ.get("KUCOIN_API_KEY_VERSION") or "3",
        )
