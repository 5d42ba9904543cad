from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.open_orders_envelope import OpenOrdersEnvelope
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
        "method": "get",
        "url": "/api/v1/hf/orders/active",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OpenOrdersEnvelope | None:
    if response.status_code == 200:
        response_200 = OpenOrdersEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OpenOrdersEnvelope]:
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
) -> Response[OpenOrdersEnvelope]:
    """The open orders of one symbol

     Lists every active (uncompleted) order of `symbol`, newest update first, unpaged. Cancelled and
    fully filled orders are done and not listed.

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenOrdersEnvelope]
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
) -> OpenOrdersEnvelope | None:
    """The open orders of one symbol

     Lists every active (uncompleted) order of `symbol`, newest update first, unpaged. Cancelled and
    fully filled orders are done and not listed.

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenOrdersEnvelope
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
) -> Response[OpenOrdersEnvelope]:
    """The open orders of one symbol

     Lists every active (uncompleted) order of `symbol`, newest update first, unpaged. Cancelled and
    fully filled orders are done and not listed.

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenOrdersEnvelope]
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
) -> OpenOrdersEnvelope | None:
    """The open orders of one symbol

     Lists every active (uncompleted) order of `symbol`, newest update first, unpaged. Cancelled and
    fully filled orders are done and not listed.

    Args:
        symbol (str):  Example: BTC-USDT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenOrdersEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
        )
    ).parsed
