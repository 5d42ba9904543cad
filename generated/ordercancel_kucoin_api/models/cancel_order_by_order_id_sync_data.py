from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cancel_order_by_order_id_sync_data_status import (
    CancelOrderByOrderIdSyncDataStatus,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CancelOrderByOrderIdSyncData")


@_attrs_define
class CancelOrderByOrderIdSyncData:
    """The order's state once the cancel finished.

    Attributes:
        order_id (str): The order id.
        origin_size (str): The order's original size, a decimal string.
        deal_size (str): The size filled, a decimal string.
        remain_size (str): The size still open, a decimal string.
        canceled_size (str): The size cancelled in all, a decimal string.
        status (CancelOrderByOrderIdSyncDataStatus): "done": the order is closed; "open": it is still live.
        origin_funds (str | Unset): The order's original funds, a decimal string (named on some of KuCoin's pages, not
            in its published file; optional).
    """

    order_id: str
    origin_size: str
    deal_size: str
    remain_size: str
    canceled_size: str
    status: CancelOrderByOrderIdSyncDataStatus
    origin_funds: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        origin_size = self.origin_size

        deal_size = self.deal_size

        remain_size = self.remain_size

        canceled_size = self.canceled_size

        status = self.status.value

        origin_funds = self.origin_funds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orderId": order_id,
                "originSize": origin_size,
                "dealSize": deal_size,
                "remainSize": remain_size,
                "canceledSize": canceled_size,
                "status": status,
            }
        )
        if origin_funds is not UNSET:
            field_dict["originFunds"] = origin_funds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        order_id = d.pop("orderId")

        origin_size = d.pop("originSize")

        deal_size = d.pop("dealSize")

        remain_size = d.pop("remainSize")

        canceled_size = d.pop("canceledSize")

        status = CancelOrderByOrderIdSyncDataStatus(d.pop("status"))

        origin_funds = d.pop("originFunds", UNSET)

        cancel_order_by_order_id_sync_data = cls(
            order_id=order_id,
            origin_size=origin_size,
            deal_size=deal_size,
            remain_size=remain_size,
            canceled_size=canceled_size,
            status=status,
            origin_funds=origin_funds,
        )

        cancel_order_by_order_id_sync_data.additional_properties = d
        return cancel_order_by_order_id_sync_data

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
