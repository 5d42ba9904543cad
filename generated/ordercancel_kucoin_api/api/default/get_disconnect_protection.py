from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_disconnect_protection_envelope import GetDisconnectProtectionEnvelope
from ...types import Response


def request_kwargs() -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/hf/orders/dead-cancel-all/query",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetDisconnectProtectionEnvelope | None:
    if response.status_code == 200:
        response_200 = GetDisconnectProtectionEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetDisconnectProtectionEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[GetDisconnectProtectionEnvelope]:
    """The current Disconnection Protection setting

     The setting, or an empty `data` when none is set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetDisconnectProtectionEnvelope]
    """

    kwargs = request_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> GetDisconnectProtectionEnvelope | None:
    """The current Disconnection Protection setting

     The setting, or an empty `data` when none is set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetDisconnectProtectionEnvelope
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[GetDisconnectProtectionEnvelope]:
    """The current Disconnection Protection setting

     The setting, or an empty `data` when none is set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetDisconnectProtectionEnvelope]
    """

    kwargs = request_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> GetDisconnectProtectionEnvelope | None:
    """The current Disconnection Protection setting

     The setting, or an empty `data` when none is set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetDisconnectProtectionEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
