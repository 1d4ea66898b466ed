"""Tests of the ROMA Connect toolkit."""
