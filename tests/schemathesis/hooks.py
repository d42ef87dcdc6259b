"""Schemathesis hooks: how to make the values our schema marks with custom formats, and
a guard for a CPython 3.11 race (at the end).

`factdesk-cursor` is the opaque `next_cursor` of a list page: base64url (no padding) of
`<microseconds since 1970>|<rank>|<uuid>`. Anything else is, rightly, refused with 422.
"""
import ast
import base64
import threading
import uuid

import schemathesis
from hypothesis import strategies as st


def _cursor(micros: int, rank: int, ident: uuid.UUID) -> str:
    raw = f"{micros}|{rank}|{ident}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


schemathesis.openapi.format(
    "factdesk-cursor",
    st.builds(
        _cursor,
        st.integers(min_value=0, max_value=4_102_444_800_000_000),
        st.integers(min_value=0, max_value=3),
        st.uuids(),
    ),
)


# CPython 3.11 keeps the AST constructor's recursion depth in state the threads share:
# two threads parsing at once fail with "AST constructor recursion depth mismatch".
# Hypothesis parses source (to describe lambdas) in each of schemathesis's worker
# threads, so parses here take turns.
_parse = ast.parse
_parse_lock = threading.Lock()


def _parse_in_turn(*args, **kwargs):
    with _parse_lock:
        return _parse(*args, **kwargs)


ast.parse = _parse_in_turn
