from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kucoin_open_order import KucoinOpenOrder


T = TypeVar("T", bound="OpenOrdersEnvelope")


@_attrs_define
class OpenOrdersEnvelope:
    """KuCoin's envelope around the open orders of a symbol.

    Attributes:
        code (str): "200000" on success, otherwise the error code.
        msg (str | Unset): The error message; absent on success.
        data (list[KucoinOpenOrder] | Unset): The open orders.
    """

    code: str
    msg: str | Unset = UNSET
    data: list[KucoinOpenOrder] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        msg = self.msg

        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if msg is not UNSET:
            field_dict["msg"] = msg
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.kucoin_open_order import KucoinOpenOrder

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg", UNSET)

        _data = d.pop("data", UNSET)
        data: list[KucoinOpenOrder] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = KucoinOpenOrder.from_dict(data_item_data)

                data.append(data_item)

        open_orders_envelope = cls(
            code=code,
            msg=msg,
            data=data,
        )

        open_orders_envelope.additional_properties = d
        return open_orders_envelope

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
