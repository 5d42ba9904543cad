from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_all_orders_by_symbol_envelope import (
    CancelAllOrdersBySymbolEnvelope,
)
from ...types import Response


def request_kwargs(
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
        "url": "/api/v1/hf/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelAllOrdersBySymbolEnvelope | None:
    if response.status_code == 200:
        response_200 = CancelAllOrdersBySymbolEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelAllOrdersBySymbolEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelAllOrdersBySymbolEnvelope]:
    """Cancel every open order of one symbol

     Sends cancel requests for all open orders of `symbol`. Success means the requests were accepted;
    `data` is the bare string "success".

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelAllOrdersBySymbolEnvelope]
    """

    kwargs = request_kwargs(
        symbol=symbol,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelAllOrdersBySymbolEnvelope | None:
    """Cancel every open order of one symbol

     Sends cancel requests for all open orders of `symbol`. Success means the requests were accepted;
    `data` is the bare string "success".

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelAllOrdersBySymbolEnvelope
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[CancelAllOrdersBySymbolEnvelope]:
    """Cancel every open order of one symbol

     Sends cancel requests for all open orders of `symbol`. Success means the requests were accepted;
    `data` is the bare string "success".

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelAllOrdersBySymbolEnvelope]
    """

    kwargs = request_kwargs(
        symbol=symbol,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> CancelAllOrdersBySymbolEnvelope | None:
    """Cancel every open order of one symbol

     Sends cancel requests for all open orders of `symbol`. Success means the requests were accepted;
    `data` is the bare string "success".

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelAllOrdersBySymbolEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
        )
    ).parsed
