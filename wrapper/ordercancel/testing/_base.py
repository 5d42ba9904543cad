"""What every simulated venue shares: fault plan, clock, base URL, and the ways to reach it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ._faults import Faults
from ._transport import ExchangeTransport
from ._wire import MAX_BODY_BYTES

if TYPE_CHECKING:
    from ._served import ServedExchange
    from ._wire import SimRequest, SimResponse


class SimulatedVenue:
    """Base of `KucoinExchange` and `KuestExchange`.

    Attributes:
        faults: The fault plan (see `Faults`).
        clock_skew_s: Seconds added to the clock for the venue's own time.
        base_url: Where to send: a never-resolving placeholder in-process (use `transport()`),
            the real URL while served.
        max_body_bytes: The longest request body the venue reads (default 1 MiB; the venues
            name no figure). A longer one gets the venue's error envelope with HTTP 413 before
            anything else is checked.
    """

    def __init__(self, *, clock: Callable[[], float], placeholder_url: str) -> None:
        self.faults = Faults()
        self.clock_skew_s = 0.0
        self.base_url = placeholder_url
        self.max_body_bytes = MAX_BODY_BYTES
        self._clock = clock

    def server_time(self) -> float:
        """The venue's clock in Unix seconds (skew included)."""
        return self._clock() + self.clock_skew_s

    def advance(self, seconds: float) -> None:
        """Move the venue's clock forward by `seconds`; the timers that fall due fire now.

        The venue's time (`server_time`) moves, as `clock_skew_s` does: a client signing with
        its own clock is then that far behind (KuCoin's clients resync on 400002). Rate-limit
        windows keep the plain clock.
        """
        self.clock_skew_s += seconds
        self.run_timers()

    def run_timers(self) -> None:
        """Fire the venue's timers that are due (dead-man's switches); none by default."""

    def handle(self, request: SimRequest) -> SimResponse:
        """Apply `request` to the venue's state and answer it as the venue would."""
        raise NotImplementedError

    def server_error_body(self) -> bytes:
        """The body the venue sends with an injected 5xx."""
        raise NotImplementedError

    def transport(self) -> ExchangeTransport:
        """An in-process httpx transport (sync and async) to this venue; no socket."""
        return ExchangeTransport(self)

    def serve(self, *, host: str = "127.0.0.1", port: int = 0) -> ServedExchange:
        """A `ServedExchange` for this venue: `with venue.serve() as served: served.base_url`."""
        from ._served import ServedExchange

        return ServedExchange(self, host=host, port=port)
