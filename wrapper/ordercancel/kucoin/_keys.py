"""KuCoin API credentials."""

from __future__ import annotations

import os

import attrs

from ..errors import ConfigurationError

_SUPPORTED_KEY_VERSIONS = ("2", "3")


def _non_blank(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"KucoinKeys.{attribute.name} must be a non-empty string")


def _header_value(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    _non_blank(instance, attribute, value)
    if not all("!" <= c <= "~" for c in value):
        raise ConfigurationError(
            f"KucoinKeys.{attribute.name} must be visible ASCII with no spaces (it is sent as an "
            "HTTP header)"
        )


def _utf8_text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    _non_blank(instance, attribute, value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Never echo the value: it is a secret (e.g. undecodable bytes from the environment).
        raise ConfigurationError(f"KucoinKeys.{attribute.name} must be valid UTF-8") from None


def _known_version(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _SUPPORTED_KEY_VERSIONS:
        raise ConfigurationError(
            f"KucoinKeys.key_version must be one of {_SUPPORTED_KEY_VERSIONS}, got {value!r}"
        )


@attrs.frozen
class KucoinKeys:
    """A KuCoin API key with its secret and passphrase.

    The secret and passphrase never appear in repr or str.

    Raises:
        ConfigurationError: a field is empty, or the key version is not "2" or "3".
    """

    api_key: str = attrs.field(validator=_header_value)
    api_secret: str = attrs.field(validator=_utf8_text, repr=False)
    api_passphrase: str = attrs.field(validator=_utf8_text, repr=False)
    key_version: str = attrs.field(default="3", validator=_known_version)

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
