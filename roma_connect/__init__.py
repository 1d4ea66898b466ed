"""Hand-written layer of the ROMA Connect toolkit.

It builds on the code generated from ``openapi.yaml`` (see ``generated/``); it never re-declares the
spec's shapes.
"""

__version__ = "0.1.0"
