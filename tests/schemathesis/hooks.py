"""Schemathesis hooks: how to make the values our schema marks with custom formats.

`factdesk-cursor` is the opaque `next_cursor` of a list page: base64url (no padding) of
`<microseconds since 1970>|<rank>|<uuid>`. Anything else is, rightly, refused with 422.
"""
import base64
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
