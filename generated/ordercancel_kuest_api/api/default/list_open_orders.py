from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.open_orders_page import OpenOrdersPage
from ...types import UNSET, Response, Unset


def request_kwargs(
    *,
    id: str | Unset = UNSET,
    market: str | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    next_cursor: str | Unset = UNSET,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """

    params: dict[str, Any] = {}

    params["id"] = id

    params["market"] = market

    params["asset_id"] = asset_id

    params["next_cursor"] = next_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/data/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OpenOrdersPage | None:
    if response.status_code == 200:
        response_200 = OpenOrdersPage.from_dict(response.json())

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
) -> Response[Error | OpenOrdersPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    market: str | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    next_cursor: str | Unset = UNSET,
) -> Response[Error | OpenOrdersPage]:
    """List the live orders of the account, a page at a time

     One page of the account's open orders. Start with `next_cursor` "MA==" (or none); pass the answer's
    `next_cursor` to get the next page; an empty `next_cursor` in the answer means there are no more
    pages. "LTE=" (base64 of "-1") means the same: it is the end marker Kuest's own clients stop at (py-
    clob-client END_CURSOR), so a server may send it.

    Args:
        id (str | Unset):
        market (str | Unset):
        asset_id (str | Unset):
        next_cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenOrdersPage]
    """

    kwargs = request_kwargs(
        id=id,
        market=market,
        asset_id=asset_id,
        next_cursor=next_cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    market: str | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    next_cursor: str | Unset = UNSET,
) -> Error | OpenOrdersPage | None:
    """List the live orders of the account, a page at a time

     One page of the account's open orders. Start with `next_cursor` "MA==" (or none); pass the answer's
    `next_cursor` to get the next page; an empty `next_cursor` in the answer means there are no more
    pages. "LTE=" (base64 of "-1") means the same: it is the end marker Kuest's own clients stop at (py-
    clob-client END_CURSOR), so a server may send it.

    Args:
        id (str | Unset):
        market (str | Unset):
        asset_id (str | Unset):
        next_cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenOrdersPage
    """

    return sync_detailed(
        client=client,
        id=id,
        market=market,
        asset_id=asset_id,
        next_cursor=next_cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    market: str | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    next_cursor: str | Unset = UNSET,
) -> Response[Error | OpenOrdersPage]:
    """List the live orders of the account, a page at a time

     One page of the account's open orders. Start with `next_cursor` "MA==" (or none); pass the answer's
    `next_cursor` to get the next page; an empty `next_cursor` in the answer means there are no more
    pages. "LTE=" (base64 of "-1") means the same: it is the end marker Kuest's own clients stop at (py-
    clob-client END_CURSOR), so a server may send it.

    Args:
        id (str | Unset):
        market (str | Unset):
        asset_id (str | Unset):
        next_cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenOrdersPage]
    """

    kwargs = request_kwargs(
        id=id,
        market=market,
        asset_id=asset_id,
        next_cursor=next_cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    market: str | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    next_cursor: str | Unset = UNSET,
) -> Error | OpenOrdersPage | None:
    """List the live orders of the account, a page at a time

     One page of the account's open orders. Start with `next_cursor` "MA==" (or none); pass the answer's
    `next_cursor` to get the next page; an empty `next_cursor` in the answer means there are no more
    pages. "LTE=" (base64 of "-1") means the same: it is the end marker Kuest's own clients stop at (py-
    clob-client END_CURSOR), so a server may send it.

    Args:
        id (str | Unset):
        market (str | Unset):
        asset_id (str | Unset):
        next_cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenOrdersPage
    """

    return (
        await asyncio_detailed(
            client=client,
            id=id,
            market=market,
            asset_id=asset_id,
            next_cursor=next_cursor,
        )
    ).parsed
