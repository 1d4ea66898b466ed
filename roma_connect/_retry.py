"""When and how long to wait before trying a call again.

Retried: 429, 500, 502, 503, 504, connection errors and timeouts (listing is a GET: safe to
repeat). The wait is exponential backoff with full jitter, or the server's ``Retry-After`` when
it gives one (capped, so a hostile value cannot stall a caller for hours).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
from dataclasses import dataclass, field

import httpx

log = logging.getLogger("roma_connect")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a call gets, and how long to wait between them.

    ``attempts`` counts the first try: the default 3 means up to two retries. The n-th retry
    waits a random time up to ``backoff * 2**(n-1)`` seconds (at most ``max_backoff``), or
    ``Retry-After`` when the answer carries one (at most ``max_retry_after``).
    """

    attempts: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.backoff < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("waits must not be negative")

    def should_retry(self, attempt: int, response: httpx.Response | None) -> bool:
        """Whether attempt number ``attempt`` (1-based), which got ``response``, may be repeated.

        ``response`` is None when the attempt got no answer (connection error, timeout).
        """
        if attempt >= self.attempts:
            return False
        return response is None or response.status_code in RETRY_STATUSES

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait after attempt number ``attempt`` before the next one."""
        retry_after = _retry_after(response)
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return self.rng.uniform(0, ceiling)


def _retry_after(response: httpx.Response | None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), if present and readable."""
    value = None if response is None else response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def log_retry(attempt: int, attempts: int, wait: float, failure: str) -> None:
    """The one log line a retry gets (never a credential: only status, code and request id)."""
    log.warning(
        "listing instances failed (%s); retry %d of %d in %.2f s",
        failure,
        attempt,
        attempts - 1,
        wait,
    )
