from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisconnectProtectionTimes")


@_attrs_define
class DisconnectProtectionTimes:
    """KuCoin's clock and the moment the cancel fires, Unix seconds; empty when the setting was cleared.

    Attributes:
        current_time (int | Unset): KuCoin's time, Unix seconds.
        trigger_time (int | Unset): When KuCoin cancels unless renewed, Unix seconds.
    """

    current_time: int | Unset = UNSET
    trigger_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_time = self.current_time

        trigger_time = self.trigger_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if current_time is not UNSET:
            field_dict["currentTime"] = current_time
        if trigger_time is not UNSET:
            field_dict["triggerTime"] = trigger_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        current_time = d.pop("currentTime", UNSET)

        trigger_time = d.pop("triggerTime", UNSET)

        disconnect_protection_times = cls(
            current_time=current_time,
            trigger_time=trigger_time,
        )

        disconnect_protection_times.additional_properties = d
        return disconnect_protection_times

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
