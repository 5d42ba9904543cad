import re
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_order_by_client_oid_envelope import CancelOrderByClientOidEnvelope
from ...types import Response

# Text that `quote(..., safe="")` leaves as it is (unreserved characters only).
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _segment(value: Any) -> str:
    """`value` as one path segment: `quote(str(value), safe="")`, without its work for plain text."""
    text = str(value)
    return text if _PLAIN_SEGMENT(text) else quote(text, safe="")


def request_kwargs(
    client_oid: str,
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
        "url": f"/api/v1/hf/orders/client-order/{_segment(client_oid)}",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelOrderByClientOidEnvelope | None:
    if response.status_code == 200:
        response_200 = CancelOrderByClientOidEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelOrderByClientOidEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    client_oid: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelOrderByClientOidEnvelope]:
    """Cancel an order by its clientOid

     Sends a cancel request for the order the caller tagged with `clientOid`. Success means the request
    was accepted, not that the order is gone.

    Args:
        client_oid (str):  Example: 5c52e11203aa677f33e493fb.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderByClientOidEnvelope]
    """

    kwargs = request_kwargs(
        client_oid=client_oid,
        symbol=symbol,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    client_oid: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelOrderByClientOidEnvelope | None:
    """Cancel an order by its clientOid

     Sends a cancel request for the order the caller tagged with `clientOid`. Success means the request
    was accepted, not that the order is gone.

    Args:
        client_oid (str):  Example: 5c52e11203aa677f33e493fb.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderByClientOidEnvelope
    """

    return sync_detailed(
        client_oid=client_oid,
        client=client,
        symbol=symbol,
    ).parsed


async def asyncio_detailed(
    client_oid: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelOrderByClientOidEnvelope]:
    """Cancel an order by its clientOid

     Sends a cancel request for the order the caller tagged with `clientOid`. Success means the request
    was accepted, not that the order is gone.

    Args:
        client_oid (str):  Example: 5c52e11203aa677f33e493fb.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderByClientOidEnvelope]
    """

    kwargs = request_kwargs(
        client_oid=client_oid,
        symbol=symbol,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    client_oid: str,
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelOrderByClientOidEnvelope | None:
    """Cancel an order by its clientOid

     Sends a cancel request for the order the caller tagged with `clientOid`. Success means the request
    was accepted, not that the order is gone.

    Args:
        client_oid (str):  Example: 5c52e11203aa677f33e493fb.
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderByClientOidEnvelope
    """

    return (
        await asyncio_detailed(
            client_oid=client_oid,
            client=client,
            symbol=symbol,
        )
    ).parsed
