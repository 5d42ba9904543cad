from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.open_order import OpenOrder


T = TypeVar("T", bound="OpenOrdersPage")


@_attrs_define
class OpenOrdersPage:
    """One page of open orders and the cursor of the next.

    Attributes:
        data (list[OpenOrder]): The open orders of this page.
        next_cursor (str): The cursor of the next page; empty when there are no more pages.
        limit (int): Page size used for the query.
        count (int): Number of items returned in this page.
    """

    data: list[OpenOrder]
    next_cursor: str
    limit: int
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        next_cursor = self.next_cursor

        limit = self.limit

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "next_cursor": next_cursor,
                "limit": limit,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.open_order import OpenOrder

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = OpenOrder.from_dict(data_item_data)

            data.append(data_item)

        next_cursor = d.pop("next_cursor")

        limit = d.pop("limit")

        count = d.pop("count")

        open_orders_page = cls(
            data=data,
            next_cursor=next_cursor,
            limit=limit,
            count=count,
        )

        open_orders_page.additional_properties = d
        return open_orders_page

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
