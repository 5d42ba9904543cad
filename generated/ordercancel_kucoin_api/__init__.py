"""A client library for accessing KuCoin Spot HF order cancel"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
