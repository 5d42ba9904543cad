"""Everything an error shows to whoever prints, logs or inspects it; and sockets that misbehave.

A helper module without tests, shared by the KuCoin and Kuest tests.

`shown_texts(error)` is what a user, a log aggregator or a debugger can see of an error: its str
and repr, and those of every value reachable from it through `args`, `__cause__`, `__context__`
and `vars()`, down into containers, mappings and the attributes of what they hold (an httpx
request's headers, an aiohttp `request_info`, ...). Functions, classes, modules, frames and
tracebacks are not followed (their locals are the program's state, not what an error shows).
What `logger.exception` prints is the str of each link of the chain plus code locations;
`logged(error)` prints it for real (slower: it reads the source lines).
"""

from __future__ import annotations

import logging
import socket
import threading
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_OPAQUE = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.FrameType,
    types.TracebackType,
    types.CodeType,
)


def logged(error: BaseException) -> str:
    """What `logger.exception(...)` prints for `error` (message and the whole chain)."""
    return logging.Formatter().formatException((type(error), error, error.__traceback__))


def shown_texts(obj: Any, depth: int = 12) -> list[str]:
    """Every text `obj` shows or holds (see the module docstring)."""
    texts: list[str] = []
    seen: dict[int, Any] = {}  # id -> the object, kept alive so that no id is reused

    def walk(value: Any, left: int) -> None:
        if left < 0 or id(value) in seen or value is None or isinstance(value, bool | int | float):
            return
        seen[id(value)] = value
        if isinstance(value, str):
            texts.append(value)
            return
        if isinstance(value, bytes | bytearray | memoryview):
            texts.append(bytes(value).decode("latin-1"))
            texts.append(bytes(value).decode("utf-8", "replace"))
            return
        if isinstance(value, _OPAQUE):
            return
        for show in (str, repr):
            try:
                texts.append(show(value))
            except Exception as exc:  # a broken __repr__ shows nothing
                texts.append(f"<{show.__name__} failed: {exc!r}>")
        if isinstance(value, BaseException):
            for linked in (value.args, value.__cause__, value.__context__):
                walk(linked, left - 1)
        if isinstance(value, Mapping) or callable(getattr(value, "items", None)):
            try:
                items = list(value.items())
            except Exception:
                items = []
            for entry in items:  # (key, value) pairs, walked as tuples
                walk(entry, left - 1)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item, left - 1)
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict):
            walk(dict(attributes), left - 1)
        for cls in type(value).__mro__:
            for slot in cls.__dict__.get("__slots__", ()):
                if isinstance(slot, str) and hasattr(value, slot):
                    walk(getattr(value, slot), left - 1)

    walk(obj, depth)
    return texts


def leaks(objects: list[Any], secrets: Mapping[str, str]) -> dict[str, list[str]]:
    """{secret name: [type of each object that shows it]}, only for the secrets shown."""
    found: dict[str, list[str]] = {}
    for obj in objects:
        texts = shown_texts(obj)
        for name, secret in secrets.items():
            if any(secret in text for text in texts):
                found.setdefault(name, []).append(type(obj).__name__)
    return found


@contextmanager
def misbehaving_server(mode: str) -> Iterator[tuple[str, list[bytes]]]:
    """(base URL, requests received) of a TCP server on 127.0.0.1 that never answers properly.

    mode "drop": accept, read the request, close without a word (a dropped connection);
    "garbage": read the request, answer a status line that is no HTTP, close;
    "refused": nothing listens on the port (the connection is refused, nothing is received).
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    received: list[bytes] = []
    if mode == "refused":
        listener.close()
        yield url, received
        return
    listener.listen(16)
    stop = threading.Event()

    def serve() -> None:
        while True:
            connection, _ = listener.accept()
            if stop.is_set():  # the wake-up call of the `finally` below
                connection.close()
                return
            with connection:
                connection.settimeout(5)
                try:
                    received.append(_read_request(connection))
                    if mode == "garbage":
                        connection.sendall(b"HTTP/1.1 OK maybe\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield url, received
    finally:
        stop.set()
        socket.create_connection(listener.getsockname()).close()  # wakes `accept` up
        thread.join(5)
        listener.close()


def _read_request(connection: socket.socket) -> bytes:
    """One request: the head, and the body its Content-Length announces."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def header_values(requests: list[bytes], names: tuple[str, ...]) -> list[str]:
    """The values of the headers `names` (any case) in raw requests, as sent."""
    wanted = {name.lower().encode() for name in names}
    values = []
    for request in requests:
        head = request.partition(b"\r\n\r\n")[0]
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() in wanted:
                values.append(value.strip().decode("latin-1"))
    return values
