from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_market_orders_request import CancelMarketOrdersRequest
from ...models.cancel_result import CancelResult
from ...models.error import Error
from ...types import Response


def request_kwargs(
    *,
    body: CancelMarketOrdersRequest,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/cancel-market-orders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelResult | Error | None:
    if response.status_code == 200:
        response_200 = CancelResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelResult | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CancelMarketOrdersRequest,
) -> Response[CancelResult | Error]:
    """Cancel every open order of a market or an asset

     At least one of `market` and the token filter is required; the token filter goes under both
    `assetId` and `asset_id` (see CancelMarketOrdersRequest). A body with no filter, or with two
    different token ids, is refused (400).

    Args:
        body (CancelMarketOrdersRequest): Which orders to cancel; at least one filter. Kuest's
            spec and web app spell the token filter `assetId`, its Python, TypeScript and Rust clients
            `asset_id`; a token filter is sent under both spellings with the same value, so a server
            that reads either one applies it and never cancels beyond that token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelResult | Error]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CancelMarketOrdersRequest,
) -> CancelResult | Error | None:
    """Cancel every open order of a market or an asset

     At least one of `market` and the token filter is required; the token filter goes under both
    `assetId` and `asset_id` (see CancelMarketOrdersRequest). A body with no filter, or with two
    different token ids, is refused (400).

    Args:
        body (CancelMarketOrdersRequest): Which orders to cancel; at least one filter. Kuest's
            spec and web app spell the token filter `assetId`, its Python, TypeScript and Rust clients
            `asset_id`; a token filter is sent under both spellings with the same value, so a server
            that reads either one applies it and never cancels beyond that token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelResult | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CancelMarketOrdersRequest,
) -> Response[CancelResult | Error]:
    """Cancel every open order of a market or an asset

     At least one of `market` and the token filter is required; the token filter goes under both
    `assetId` and `asset_id` (see CancelMarketOrdersRequest). A body with no filter, or with two
    different token ids, is refused (400).

    Args:
        body (CancelMarketOrdersRequest): Which orders to cancel; at least one filter. Kuest's
            spec and web app spell the token filter `assetId`, its Python, TypeScript and Rust clients
            `asset_id`; a token filter is sent under both spellings with the same value, so a server
            that reads either one applies it and never cancels beyond that token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelResult | Error]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CancelMarketOrdersRequest,
) -> CancelResult | Error | None:
    """Cancel every open order of a market or an asset

     At least one of `market` and the token filter is required; the token filter goes under both
    `assetId` and `asset_id` (see CancelMarketOrdersRequest). A body with no filter, or with two
    different token ids, is refused (400).

    Args:
        body (CancelMarketOrdersRequest): Which orders to cancel; at least one filter. Kuest's
            spec and web app spell the token filter `assetId`, its Python, TypeScript and Rust clients
            `asset_id`; a token filter is sent under both spellings with the same value, so a server
            that reads either one applies it and never cancels beyond that token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelResult | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
