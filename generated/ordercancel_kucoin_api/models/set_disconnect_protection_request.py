from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetDisconnectProtectionRequest")


@_attrs_define
class SetDisconnectProtectionRequest:
    """The Disconnection Protection setting to arm, renew or clear.

    Attributes:
        timeout (int): SECONDS (not milliseconds) until KuCoin cancels: -1 clears the setting, otherwise 5 to 86400.
        symbols (str | Unset): At most 50 symbols, comma-separated, that the cancel covers; empty means every symbol.
            Each call overwrites the previous list.
    """

    timeout: int
    symbols: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timeout = self.timeout

        symbols = self.symbols

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timeout": timeout,
            }
        )
        if symbols is not UNSET:
            field_dict["symbols"] = symbols

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        timeout = d.pop("timeout")

        symbols = d.pop("symbols", UNSET)

        set_disconnect_protection_request = cls(
            timeout=timeout,
            symbols=symbols,
        )

        set_disconnect_protection_request.additional_properties = d
        return set_disconnect_protection_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
