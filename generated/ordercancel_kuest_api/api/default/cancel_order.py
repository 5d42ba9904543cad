from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_order_request import CancelOrderRequest
from ...models.cancel_result import CancelResult
from ...models.error import Error
from ...models.legacy_cancel_order_request import LegacyCancelOrderRequest
from ...types import Response


def request_kwargs(
    *,
    body: CancelOrderRequest | LegacyCancelOrderRequest,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/order",
    }

    if isinstance(body, CancelOrderRequest):
        _kwargs["json"] = body.to_dict()
    else:
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

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

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
    body: CancelOrderRequest | LegacyCancelOrderRequest,
) -> Response[CancelResult | Error]:
    """Cancel one order

     Cancels the order named in the body. The id field is `orderId` (Kuest's web app, spec and Rust
    client); Kuest's Python and TypeScript clients send `orderID`, inherited from Polymarket, which
    Kuest also accepts.

    Args:
        body (CancelOrderRequest | LegacyCancelOrderRequest):

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
    body: CancelOrderRequest | LegacyCancelOrderRequest,
) -> CancelResult | Error | None:
    """Cancel one order

     Cancels the order named in the body. The id field is `orderId` (Kuest's web app, spec and Rust
    client); Kuest's Python and TypeScript clients send `orderID`, inherited from Polymarket, which
    Kuest also accepts.

    Args:
        body (CancelOrderRequest | LegacyCancelOrderRequest):

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
    body: CancelOrderRequest | LegacyCancelOrderRequest,
) -> Response[CancelResult | Error]:
    """Cancel one order

     Cancels the order named in the body. The id field is `orderId` (Kuest's web app, spec and Rust
    client); Kuest's Python and TypeScript clients send `orderID`, inherited from Polymarket, which
    Kuest also accepts.

    Args:
        body (CancelOrderRequest | LegacyCancelOrderRequest):

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
    body: CancelOrderRequest | LegacyCancelOrderRequest,
) -> CancelResult | Error | None:
    """Cancel one order

     Cancels the order named in the body. The id field is `orderId` (Kuest's web app, spec and Rust
    client); Kuest's Python and TypeScript clients send `orderID`, inherited from Polymarket, which
    Kuest also accepts.

    Args:
        body (CancelOrderRequest | LegacyCancelOrderRequest):

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
