"""The throughput ceiling: a bare Starlette app that answers every listing with fixed bytes.

``python -m benchmarks._ceiling BODY_FILE`` serves the file's bytes (a page the emulator
rendered) with the emulator's own uvicorn settings (``roma_connect.emulator.server``: httptools,
uvloop, no access log), so the gap between the two is the emulator's own work per request.
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from roma_connect.emulator import base_url, bind, server

# The emulator's headers, with a request id of the same length: the same bytes on the wire.
_HEADERS = {"X-Request-Id": "0" * 32}


def create_app(body: bytes) -> Starlette:
    """An app answering ``GET /v2/{project_id}/instances`` with ``body``, whatever the query."""

    async def listing(_: Request) -> Response:
        return Response(body, 200, _HEADERS, "application/json")

    return Starlette(routes=[Route("/v2/{project_id:path}/instances", listing, methods=["GET"])])


def main(argv: list[str]) -> int:
    """Serve on a free loopback port; print ``base URL: …`` like the emulator's banner."""
    (path,) = argv
    app = create_app(Path(path).read_bytes())
    sock = bind("127.0.0.1", 0)
    print(f"  base URL:   {base_url(sock)}", flush=True)
    try:
        server(app).run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
