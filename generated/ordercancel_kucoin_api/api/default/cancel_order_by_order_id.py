import re
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_order_by_order_id_envelope import CancelOrderByOrderIdEnvelope
from ...types import Response

# Text that `quote(..., safe="")` leaves as it is (unreserved characters only).
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _segment(value: Any) -> str:
    """`value` as one path segment: `quote(str(value), safe="")`, without its work for plain text."""
    text = str(value)
    return text if _PLAIN_SEGMENT(text) else quote(text, safe="")


def request_kwargs(
    order_id: str,
    *,
    symbol: str,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """

    params: dict[str, Any] = {}

    params["symbol"] = symbol

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": f"/api/v1/hf/orders/{_segment(order_id)}",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelOrderByOrderIdEnvelope | None:
    if response.status_code == 200:
        response_200 = CancelOrderByOrderIdEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelOrderByOrderIdEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelOrderByOrderIdEnvelope]:
    """Cancel an order by its orderId

     Sends a cancel request for one order. Success means the request was accepted, not that the order is
    gone; check the order status to confirm.

    Args:
        order_id (str):  Example: 671124f9365ccb00073debd4.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderByOrderIdEnvelope]
    """

    kwargs = request_kwargs(
        order_id=order_id,
        symbol=symbol,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelOrderByOrderIdEnvelope | None:
    """Cancel an order by its orderId

     Sends a cancel request for one order. Success means the request was accepted, not that the order is
    gone; check the order status to confirm.

    Args:
        order_id (str):  Example: 671124f9365ccb00073debd4.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderByOrderIdEnvelope
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        symbol=symbol,
    ).parsed


async def asyncio_detailed(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelOrderByOrderIdEnvelope]:
    """Cancel an order by its orderId

     Sends a cancel request for one order. Success means the request was accepted, not that the order is
    gone; check the order status to confirm.

    Args:
        order_id (str):  Example: 671124f9365ccb00073debd4.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderByOrderIdEnvelope]
    """

    kwargs = request_kwargs(
        order_id=order_id,
        symbol=symbol,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelOrderByOrderIdEnvelope | None:
    """Cancel an order by its orderId

     Sends a cancel request for one order. Success means the request was accepted, not that the order is
    gone; check the order status to confirm.

    Args:
        order_id (str):  Example: 671124f9365ccb00073debd4.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderByOrderIdEnvelope
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            symbol=symbol,
        )
    ).parsed
