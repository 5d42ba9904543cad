from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CancelMarketOrdersRequest")


@_attrs_define
class CancelMarketOrdersRequest:
    """Which orders to cancel; at least one filter. Kuest's spec and web app spell the token filter `assetId`, its Python,
    TypeScript and Rust clients `asset_id`; a token filter is sent under both spellings with the same value, so a server
    that reads either one applies it and never cancels beyond that token.

        Attributes:
            market (str | Unset): The market (condition id).
            assetId (str | Unset): The asset (token id).
            asset_id (str | Unset): The asset (token id) as Kuest's clients spell it; always equal to assetId.
    """

    market: str | Unset = UNSET
    assetId: str | Unset = UNSET
    asset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        market = self.market

        assetId = self.assetId

        asset_id = self.asset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if market is not UNSET:
            field_dict["market"] = market
        if assetId is not UNSET:
            field_dict["assetId"] = assetId
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        market = d.pop("market", UNSET)

        assetId = d.pop("assetId", UNSET)

        asset_id = d.pop("asset_id", UNSET)

        cancel_market_orders_request = cls(
            market=market,
            assetId=assetId,
            asset_id=asset_id,
        )

        cancel_market_orders_request.additional_properties = d
        return cancel_market_orders_request

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
