from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisconnectProtectionSetting")


@_attrs_define
class DisconnectProtectionSetting:
    """The current setting; empty when none is set.

    Attributes:
        timeout (int | Unset): Seconds from a set to the cancel.
        symbols (str | Unset): The symbols covered, comma-separated; empty means every symbol.
        current_time (int | Unset): KuCoin's time, Unix seconds.
        trigger_time (int | Unset): When KuCoin cancels unless renewed, Unix seconds.
    """

    timeout: int | Unset = UNSET
    symbols: str | Unset = UNSET
    current_time: int | Unset = UNSET
    trigger_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timeout = self.timeout

        symbols = self.symbols

        current_time = self.current_time

        trigger_time = self.trigger_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if symbols is not UNSET:
            field_dict["symbols"] = symbols
        if current_time is not UNSET:
            field_dict["currentTime"] = current_time
        if trigger_time is not UNSET:
            field_dict["triggerTime"] = trigger_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        timeout = d.pop("timeout", UNSET)

        symbols = d.pop("symbols", UNSET)

        current_time = d.pop("currentTime", UNSET)

        trigger_time = d.pop("triggerTime", UNSET)

        disconnect_protection_setting = cls(
            timeout=timeout,
            symbols=symbols,
            current_time=current_time,
            trigger_time=trigger_time,
        )

        disconnect_protection_setting.additional_properties = d
        return disconnect_protection_setting

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
