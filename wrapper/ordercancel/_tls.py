"""One verifying TLS context, shared by every client ordercancel builds its own HTTP client for.

Building one loads the CA bundle (25 to 50 ms): twenty accounts of a `panic` spent a second
building the same context over and over. An `ssl.SSLContext` is made to be shared between
connections and threads. It is built on first use, as httpx builds its own (certifi's bundle,
or SSL_CERT_FILE / SSL_CERT_DIR when set at that moment).
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def shared_context() -> ssl.SSLContext:
    """The verifying TLS context of every HTTP client ordercancel builds (built once)."""
    return httpx.create_ssl_context()
