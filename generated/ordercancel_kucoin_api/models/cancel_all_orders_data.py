from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.failed_symbol import FailedSymbol


T = TypeVar("T", bound="CancelAllOrdersData")


@_attrs_define
class CancelAllOrdersData:
    """The symbols whose orders were cancelled and those that failed.

    Attributes:
        succeed_symbols (list[str]): Symbols whose cancels were accepted.
        failed_symbols (list[FailedSymbol]): Symbols whose cancels failed; non-empty means partial success.
    """

    succeed_symbols: list[str]
    failed_symbols: list[FailedSymbol]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        succeed_symbols = self.succeed_symbols

        failed_symbols = []
        for failed_symbols_item_data in self.failed_symbols:
            failed_symbols_item = failed_symbols_item_data.to_dict()
            failed_symbols.append(failed_symbols_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "succeedSymbols": succeed_symbols,
                "failedSymbols": failed_symbols,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failed_symbol import FailedSymbol

        d = dict(src_dict)
        succeed_symbols = cast(list[str], d.pop("succeedSymbols"))

        failed_symbols = []
        _failed_symbols = d.pop("failedSymbols")
        for failed_symbols_item_data in _failed_symbols:
            failed_symbols_item = FailedSymbol.from_dict(failed_symbols_item_data)

            failed_symbols.append(failed_symbols_item)

        cancel_all_orders_data = cls(
            succeed_symbols=succeed_symbols,
            failed_symbols=failed_symbols,
        )

        cancel_all_orders_data.additional_properties = d
        return cancel_all_orders_data

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
