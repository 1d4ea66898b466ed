"""Deterministic faults, added latency and the request journal of the emulator."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from . import _errors


@dataclass(slots=True)
class Fault:
    """The next ``remaining`` matching API calls answer ``status`` in ROMA's dialect."""

    status: int
    remaining: int
    retry_after: int | None = None
    project_id: str | None = None  # None matches every project
    error_code: str = ""
    error_msg: str = ""

    def __post_init__(self) -> None:
        if not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status, 400 to 599")
        if self.remaining < 1:
            raise ValueError("count must be at least 1")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        default_code, default_msg = _errors.for_status(self.status)
        self.error_code = self.error_code or default_code
        self.error_msg = self.error_msg or default_msg

    def error(self) -> _errors.RomaError:
        """The answer this fault gives."""
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        details = "injected by the emulator's fault API"
        return _errors.RomaError(self.status, self.error_code, self.error_msg, details, headers)


@dataclass(slots=True)
class Latency:
    """Delay the next ``remaining`` API calls (or all, when None) by ``ms`` milliseconds."""

    ms: float
    remaining: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.ms <= 60_000:
            raise ValueError("ms must be between 0 and 60000")
        if self.remaining is not None and self.remaining < 1:
            raise ValueError("count must be at least 1 (or absent for every call)")


@dataclass(slots=True)
class JournalEntry:
    """What the emulator saw and answered; never a token, signature or secret."""

    request_id: str
    time: float
    method: str
    path: str
    query: str
    status: int
    auth: str  # "token", "aksk", "off" or "none"
    access_key: str | None = None
    error_code: str | None = None
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass
class Faults:
    """Pending faults and latency, consumed in order by matching calls; thread-safe."""

    faults: list[Fault] = field(default_factory=list)
    latency: Latency | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, fault: Fault) -> None:
        """Queue a fault after those already pending."""
        with self._lock:
            self.faults.append(fault)

    def clear(self, *, faults: bool = True, latency: bool = True) -> None:
        """Drop the pending faults, the latency, or (by default) both."""
        with self._lock:
            if faults:
                self.faults.clear()
            if latency:
                self.latency = None

    def set_latency(self, latency: Latency) -> None:
        """Replace the latency setting."""
        with self._lock:
            self.latency = latency

    def take(self, project_id: str) -> tuple[Fault | None, float]:
        """(the fault this call answers with, if any; seconds to wait first)."""
        with self._lock:
            delay = 0.0
            if self.latency is not None:
                delay = self.latency.ms / 1000
                if self.latency.remaining is not None:
                    self.latency.remaining -= 1
                    if self.latency.remaining == 0:
                        self.latency = None
            for fault in self.faults:
                if fault.project_id in (None, project_id):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self.faults.remove(fault)
                    return fault, delay
            return None, delay

    def describe(self) -> dict[str, Any]:
        """JSON-ready state."""
        with self._lock:
            return {
                "faults": [asdict(f) for f in self.faults],
                "latency": None if self.latency is None else asdict(self.latency),
            }


class Journal:
    """The last ``size`` API requests, oldest first."""

    def __init__(self, size: int = 1000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        """Append an entry (the oldest falls off when full)."""
        with self._lock:
            self._entries.append(entry)

    def entries(self, limit: int | None = None) -> list[JournalEntry]:
        """The newest ``limit`` entries (all when None), oldest first."""
        with self._lock:
            entries = list(self._entries)
        return entries if limit is None else entries[-limit:] if limit else []

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
