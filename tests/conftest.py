"""Shared pytest configuration."""

from __future__ import annotations

import os

from hypothesis import settings

# CI runs the same examples every time (a red run is reproducible, never flaky); locally each
# run explores new ones and Hypothesis keeps failures in .hypothesis/ to replay them first.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
