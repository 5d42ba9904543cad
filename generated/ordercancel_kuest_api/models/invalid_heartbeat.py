from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InvalidHeartbeat")


@_attrs_define
class InvalidHeartbeat:
    """The answer to a heartbeat whose id is not the current one.

    Attributes:
        error (str): "Invalid Heartbeat ID".
        heartbeat_id (str): The current id, to continue with.
    """

    error: str
    heartbeat_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        heartbeat_id = self.heartbeat_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
                "heartbeat_id": heartbeat_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error = d.pop("error")

        heartbeat_id = d.pop("heartbeat_id")

        invalid_heartbeat = cls(
            error=error,
            heartbeat_id=heartbeat_id,
        )

        invalid_heartbeat.additional_properties = d
        return invalid_heartbeat

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
