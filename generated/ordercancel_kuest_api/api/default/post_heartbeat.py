from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.heartbeat_request import HeartbeatRequest
from ...models.heartbeat_response import HeartbeatResponse
from ...models.invalid_heartbeat import InvalidHeartbeat
from ...types import Response


def request_kwargs(
    *,
    body: HeartbeatRequest,
) -> dict[str, Any]:
    """The request as `httpx.Client.request` takes it: method, url, and params, json, headers.

    The one place that knows this endpoint's method, path, query and body; a caller that sends
    and parses the answer itself starts here.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/heartbeats",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | HeartbeatResponse | InvalidHeartbeat | None:
    if response.status_code == 200:
        response_200 = HeartbeatResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = InvalidHeartbeat.from_dict(response.json())

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
) -> Response[Error | HeartbeatResponse | InvalidHeartbeat]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: HeartbeatRequest,
) -> Response[Error | HeartbeatResponse | InvalidHeartbeat]:
    """Post a heartbeat (Kuest's dead-man's switch)

     Once heartbeats have started, Kuest cancels every open order of the account when none arrives for
    about 10 seconds. The first heartbeat sends `heartbeat_id` null; each answer names the id to send
    next. A heartbeat with another id than the current one is answered 400 `{"error": "Invalid Heartbeat
    ID", "heartbeat_id": "<the current id>"}`. Kuest's Python and Rust clients post to the older path
    `/v1/heartbeats`; Kuest's published file has `/heartbeats`.

    Args:
        body (HeartbeatRequest): A heartbeat; `heartbeat_id` is null for the first one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | HeartbeatResponse | InvalidHeartbeat]
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
    body: HeartbeatRequest,
) -> Error | HeartbeatResponse | InvalidHeartbeat | None:
    """Post a heartbeat (Kuest's dead-man's switch)

     Once heartbeats have started, Kuest cancels every open order of the account when none arrives for
    about 10 seconds. The first heartbeat sends `heartbeat_id` null; each answer names the id to send
    next. A heartbeat with another id than the current one is answered 400 `{"error": "Invalid Heartbeat
    ID", "heartbeat_id": "<the current id>"}`. Kuest's Python and Rust clients post to the older path
    `/v1/heartbeats`; Kuest's published file has `/heartbeats`.

    Args:
        body (HeartbeatRequest): A heartbeat; `heartbeat_id` is null for the first one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | HeartbeatResponse | InvalidHeartbeat
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: HeartbeatRequest,
) -> Response[Error | HeartbeatResponse | InvalidHeartbeat]:
    """Post a heartbeat (Kuest's dead-man's switch)

     Once heartbeats have started, Kuest cancels every open order of the account when none arrives for
    about 10 seconds. The first heartbeat sends `heartbeat_id` null; each answer names the id to send
    next. A heartbeat with another id than the current one is answered 400 `{"error": "Invalid Heartbeat
    ID", "heartbeat_id": "<the current id>"}`. Kuest's Python and Rust clients post to the older path
    `/v1/heartbeats`; Kuest's published file has `/heartbeats`.

    Args:
        body (HeartbeatRequest): A heartbeat; `heartbeat_id` is null for the first one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | HeartbeatResponse | InvalidHeartbeat]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: HeartbeatRequest,
) -> Error | HeartbeatResponse | InvalidHeartbeat | None:
    """Post a heartbeat (Kuest's dead-man's switch)

     Once heartbeats have started, Kuest cancels every open order of the account when none arrives for
    about 10 seconds. The first heartbeat sends `heartbeat_id` null; each answer names the id to send
    next. A heartbeat with another id than the current one is answered 400 `{"error": "Invalid Heartbeat
    ID", "heartbeat_id": "<the current id>"}`. Kuest's Python and Rust clients post to the older path
    `/v1/heartbeats`; Kuest's published file has `/heartbeats`.

    Args:
        body (HeartbeatRequest): A heartbeat; `heartbeat_id` is null for the first one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | HeartbeatResponse | InvalidHeartbeat
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
