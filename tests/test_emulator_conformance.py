"""The emulator against the spec: schemathesis draws the requests, every check judges the answers.

Positive and negative generation, all checks, a valid token and the token's project fixed, and
``positive_data_acceptance`` expecting 2xx: a run cannot pass on 401s or 403s.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig

from roma_connect.emulator import Settings, build, create_app
from tests.spec_tools import SPEC_PATH

PROJECT = "106506b9a92342df9a5025fc12351cfc"
TOKEN = "conformance-token"


EMULATOR, _ = build(Settings(seed=60, tokens=[(TOKEN, PROJECT)]))
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx"]}},
        "parameters": {"path.project_id": PROJECT, "header.X-Auth-Token": TOKEN},
        "generation": {"max-examples": 250},
    }
)
schema = schemathesis.openapi.from_path(SPEC_PATH, config=CONFIG)
schema.app = create_app(EMULATOR)


@schema.parametrize()
def test_emulator_conforms_to_the_spec(case: Any) -> None:
    response = case.call_and_validate()
    # Beyond the spec's checks: the header and the body agree on the request id.
    request_id = response.headers["x-request-id"][0]
    if response.status_code >= 400:
        assert json.loads(response.content)["request_id"] == request_id


def test_the_run_exercises_successes_and_refusals() -> None:
    """Guards the test above: it saw 200s and 400s, not only one kind of answer."""
    statuses = {entry.status for entry in EMULATOR.journal.entries()}
    assert {200, 400} <= statuses, statuses
