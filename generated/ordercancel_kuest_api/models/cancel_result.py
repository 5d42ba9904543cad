from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reason_by_id import ReasonById


T = TypeVar("T", bound="CancelResult")


@_attrs_define
class CancelResult:
    """What a cancel did. Each shape Kuest is seen to send fits: `{"success": true}`, `{"canceled": [...], "not_canceled":
    {...}}` and the older spellings `cancelled` and `notCanceled`. (An empty body also means success.)

        Attributes:
            success (bool | Unset): True when the cancel was accepted (the short answer).
            canceled (list[str] | Unset): Ids that were cancelled.
            not_canceled (ReasonById | Unset): Ids that were not cancelled, each with the reason (`not_canceled`, or
                `notCanceled` in older answers).
            cancelled (list[str] | Unset): Older spelling of `canceled`.
            notCanceled (ReasonById | Unset): Ids that were not cancelled, each with the reason (`not_canceled`, or
                `notCanceled` in older answers).
    """

    success: bool | Unset = UNSET
    canceled: list[str] | Unset = UNSET
    not_canceled: ReasonById | Unset = UNSET
    cancelled: list[str] | Unset = UNSET
    notCanceled: ReasonById | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        canceled: list[str] | Unset = UNSET
        if not isinstance(self.canceled, Unset):
            canceled = self.canceled

        not_canceled: dict[str, Any] | Unset = UNSET
        if not isinstance(self.not_canceled, Unset):
            not_canceled = self.not_canceled.to_dict()

        cancelled: list[str] | Unset = UNSET
        if not isinstance(self.cancelled, Unset):
            cancelled = self.cancelled

        notCanceled: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notCanceled, Unset):
            notCanceled = self.notCanceled.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if canceled is not UNSET:
            field_dict["canceled"] = canceled
        if not_canceled is not UNSET:
            field_dict["not_canceled"] = not_canceled
        if cancelled is not UNSET:
            field_dict["cancelled"] = cancelled
        if notCanceled is not UNSET:
            field_dict["notCanceled"] = notCanceled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.reason_by_id import ReasonById

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        canceled = cast(list[str], d.pop("canceled", UNSET))

        _not_canceled = d.pop("not_canceled", UNSET)
        not_canceled: ReasonById | Unset
        if isinstance(_not_canceled, Unset):
            not_canceled = UNSET
        else:
            not_canceled = ReasonById.from_dict(_not_canceled)

        cancelled = cast(list[str], d.pop("cancelled", UNSET))

        _notCanceled = d.pop("notCanceled", UNSET)
        notCanceled: ReasonById | Unset
        if isinstance(_notCanceled, Unset):
            notCanceled = UNSET
        else:
            notCanceled = ReasonById.from_dict(_notCanceled)

        cancel_result = cls(
            success=success,
            canceled=canceled,
            not_canceled=not_canceled,
            cancelled=cancelled,
            notCanceled=notCanceled,
        )

        cancel_result.additional_properties = d
        return cancel_result

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
