from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.open_order_order_type import OpenOrderOrderType
from ..models.open_order_side import OpenOrderSide
from ..types import UNSET, Unset

T = TypeVar("T", bound="OpenOrder")


@_attrs_define
class OpenOrder:
    """An open order, as Kuest lists it.

    Attributes:
        associate_trades (list[str]): Identifiers of trades that include this order.
        id (str): Order ULID assigned by the engine.
        status (str): Current order status (`live`, `matched`, `pending_settlement`, `delayed`, `unmatched`).
        market (str): Market/condition identifier.
        original_size (str): Original submitted size, in whole shares.
        outcome (str): Outcome label (token identifier).
        maker_address (str): Address providing maker liquidity.
        side (OpenOrderSide): Human-readable side of the order book.
        size_matched (str): Total matched size so far, in whole shares.
        asset_id (str): Token identifier.
        expiration (str): Expiration timestamp in seconds (`"0"` when not set).
        order_type (OpenOrderOrderType): Time-in-force policy recorded for the order.
        created_at (datetime.datetime):
        owner (None | str | Unset): API key owner associated with the order when available.
        price (None | str | Unset): Limit price (null when indeterminate).
    """

    associate_trades: list[str]
    id: str
    status: str
    market: str
    original_size: str
    outcome: str
    maker_address: str
    side: OpenOrderSide
    size_matched: str
    asset_id: str
    expiration: str
    order_type: OpenOrderOrderType
    created_at: datetime.datetime
    owner: None | str | Unset = UNSET
    price: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        associate_trades = self.associate_trades

        id = self.id

        status = self.status

        market = self.market

        original_size = self.original_size

        outcome = self.outcome

        maker_address = self.maker_address

        side = self.side.value

        size_matched = self.size_matched

        asset_id = self.asset_id

        expiration = self.expiration

        order_type = self.order_type.value

        created_at = self.created_at.isoformat()

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        price: None | str | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        else:
            price = self.price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "associateTrades": associate_trades,
                "id": id,
                "status": status,
                "market": market,
                "originalSize": original_size,
                "outcome": outcome,
                "makerAddress": maker_address,
                "side": side,
                "sizeMatched": size_matched,
                "assetId": asset_id,
                "expiration": expiration,
                "order_type": order_type,
                "createdAt": created_at,
            }
        )
        if owner is not UNSET:
            field_dict["owner"] = owner
        if price is not UNSET:
            field_dict["price"] = price

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        associate_trades = cast(list[str], d.pop("associateTrades"))

        id = d.pop("id")

        status = d.pop("status")

        market = d.pop("market")

        original_size = d.pop("originalSize")

        outcome = d.pop("outcome")

        maker_address = d.pop("makerAddress")

        side = OpenOrderSide(d.pop("side"))

        size_matched = d.pop("sizeMatched")

        asset_id = d.pop("assetId")

        expiration = d.pop("expiration")

        order_type = OpenOrderOrderType(d.pop("order_type"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        def _parse_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price = _parse_price(d.pop("price", UNSET))

        open_order = cls(
            associate_trades=associate_trades,
            id=id,
            status=status,
            market=market,
            original_size=original_size,
            outcome=outcome,
            maker_address=maker_address,
            side=side,
            size_matched=size_matched,
            asset_id=asset_id,
            expiration=expiration,
            order_type=order_type,
            created_at=created_at,
            owner=owner,
            price=price,
        )

        open_order.additional_properties = d
        return open_order

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
