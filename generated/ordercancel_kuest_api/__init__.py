"""A client library for accessing Kuest CLOB order cancel"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
