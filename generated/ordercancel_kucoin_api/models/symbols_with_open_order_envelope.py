from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.symbols_with_open_order_data import SymbolsWithOpenOrderData


T = TypeVar("T", bound="SymbolsWithOpenOrderEnvelope")


@_attrs_define
class SymbolsWithOpenOrderEnvelope:
    """KuCoin's envelope around the symbols with open orders.

    Attributes:
        code (str): "200000" on success, otherwise the error code.
        msg (str | Unset): The error message; absent on success.
        data (SymbolsWithOpenOrderData | Unset): The symbols that have open orders.
    """

    code: str
    msg: str | Unset = UNSET
    data: SymbolsWithOpenOrderData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        msg = self.msg

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

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
        from ..models.symbols_with_open_order_data import SymbolsWithOpenOrderData

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg", UNSET)

        _data = d.pop("data", UNSET)
        data: SymbolsWithOpenOrderData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = SymbolsWithOpenOrderData.from_dict(_data)

        symbols_with_open_order_envelope = cls(
            code=code,
            msg=msg,
            data=data,
        )

        symbols_with_open_order_envelope.additional_properties = d
        return symbols_with_open_order_envelope

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
