"""An answer's body as JSON, decoded once: what `json.loads` makes of the bytes, or None.

`json.loads(bytes)` first guesses the encoding (`json.detect_encoding`, a Python function), then
decodes with `surrogatepass`. Its guess is UTF-8 for any body that starts with `{` followed by a
nonzero byte (no BOM, no zero byte among the first two): such a body (every venue's envelope) is
decoded here as it would be, and the text handed to `json.loads`; anything else goes to
`json.loads` as it is. The value, or the failure, is the same.
"""

from __future__ import annotations

import json
from typing import Any


def answer_json(content: bytes) -> Any:
    """The JSON value of `content` as `json.loads` decodes it; None when it is not JSON."""
    try:
        if content[:1] == b"{" and content[1:2] != b"\x00":
            return json.loads(content.decode("utf-8", "surrogatepass"))
        return json.loads(content)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, deep nesting
        return None
