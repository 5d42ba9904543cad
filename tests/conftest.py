"""Suite-wide test settings.

Retries use stamina's test switch: every test sees a single attempt and no backoff sleep unless
it asks for more with `stamina.set_testing(True, attempts=N)` (the resilience tests do).
"""

from collections.abc import Iterator

import pytest
import stamina


@pytest.fixture(autouse=True)
def _single_attempt_without_sleeping() -> Iterator[None]:
    with stamina.set_testing(True, attempts=1):
        yield
