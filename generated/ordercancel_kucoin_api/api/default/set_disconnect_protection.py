from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.set_disconnect_protection_envelope import SetDisconnectProtectionEnvelope
from ...models.set_disconnect_protection_request import SetDisconnectProtectionRequest
from ...types import Response


def request_kwargs(
    *,
    body: SetDisconnectProtectionRequest,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/hf/orders/dead-cancel-all",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> SetDisconnectProtectionEnvelope | None:
    if response.status_code == 200:
        response_200 = SetDisconnectProtectionEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[SetDisconnectProtectionEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SetDisconnectProtectionRequest,
) -> Response[SetDisconnectProtectionEnvelope]:
    """Set, renew or clear Disconnection Protection (the dead-man's switch)

     KuCoin cancels the open orders of the listed symbols (all symbols when `symbols` is empty) `timeout`
    SECONDS after this call, unless it is called again before then (which renews it, overwriting the
    previous setting). `timeout` -1 clears it. The body is the one request body of this spec; it is
    signed like any other.

    Args:
        body (SetDisconnectProtectionRequest): The Disconnection Protection setting to arm, renew
            or clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SetDisconnectProtectionEnvelope]
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
    body: SetDisconnectProtectionRequest,
) -> SetDisconnectProtectionEnvelope | None:
    """Set, renew or clear Disconnection Protection (the dead-man's switch)

     KuCoin cancels the open orders of the listed symbols (all symbols when `symbols` is empty) `timeout`
    SECONDS after this call, unless it is called again before then (which renews it, overwriting the
    previous setting). `timeout` -1 clears it. The body is the one request body of this spec; it is
    signed like any other.

    Args:
        body (SetDisconnectProtectionRequest): The Disconnection Protection setting to arm, renew
            or clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SetDisconnectProtectionEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SetDisconnectProtectionRequest,
) -> Response[SetDisconnectProtectionEnvelope]:
    """Set, renew or clear Disconnection Protection (the dead-man's switch)

     KuCoin cancels the open orders of the listed symbols (all symbols when `symbols` is empty) `timeout`
    SECONDS after this call, unless it is called again before then (which renews it, overwriting the
    previous setting). `timeout` -1 clears it. The body is the one request body of this spec; it is
    signed like any other.

    Args:
        body (SetDisconnectProtectionRequest): The Disconnection Protection setting to arm, renew
            or clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SetDisconnectProtectionEnvelope]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SetDisconnectProtectionRequest,
) -> SetDisconnectProtectionEnvelope | None:
    """Set, renew or clear Disconnection Protection (the dead-man's switch)

     KuCoin cancels the open orders of the listed symbols (all symbols when `symbols` is empty) `timeout`
    SECONDS after this call, unless it is called again before then (which renews it, overwriting the
    previous setting). `timeout` -1 clears it. The body is the one request body of this spec; it is
    signed like any other.

    Args:
        body (SetDisconnectProtectionRequest): The Disconnection Protection setting to arm, renew
            or clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SetDisconnectProtectionEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
