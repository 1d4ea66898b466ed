"""The emulator as a user meets it: a real server on 127.0.0.1, a real SQLite store.

Paging semantics, every auth refusal, bad input answered in ROMA's dialect (never a 5xx), the
admin API (faults, latency, journal, fixtures) and the store's persistence in a file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from roma_connect_models import ErrorResponse, Instance, ListInstancesResponse

from roma_connect import signing
from roma_connect.emulator import (
    DEMO_PROJECTS,
    MAX_LIMIT,
    Emulator,
    Settings,
    Store,
    build,
    demo_instances,
    load_fixtures,
    running,
)
from tests.spec_tools import ROOT, SPEC_PATH, load_spec

PROJECT, OTHER = DEMO_PROJECTS
TOKEN = "test-token-0123456789"
AK, SK = "TESTAK0123456789", "test-secret-key-abcdefghijklmnopqrstuvwxyz"
SEEDED = 120  # 60 per project


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    return build(Settings(tokens=[(TOKEN, PROJECT)], keys=[(AK, SK, PROJECT)]))[0]


@pytest.fixture(scope="module")
def server(emulator: Emulator) -> Iterator[str]:
    with running(emulator) as url:
        yield url


@pytest.fixture
def api(server: str, emulator: Emulator) -> Iterator[httpx.Client]:
    """A client of a freshly seeded emulator, with no faults and an empty journal."""
    emulator.store.clear()
    emulator.store.put(demo_instances(SEEDED))
    emulator.faults.clear()
    emulator.journal.clear()
    with httpx.Client(base_url=server, headers={"X-Auth-Token": TOKEN}) as client:
        yield client


def _list(api: httpx.Client, project: str = PROJECT, **params: Any) -> httpx.Response:
    return api.get(f"/v2/{project}/instances", params=params)


def _error(response: httpx.Response, status: int) -> ErrorResponse:
    """The response is a ROMA error of this status whose request id matches the header."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = ErrorResponse.model_validate_json(response.content)
    assert error.request_id == response.headers["x-request-id"]
    return error


# --- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 7, 20, 60, 500])
def test_paging_returns_every_instance_once_in_a_stable_order(
    api: httpx.Client, page_size: int
) -> None:
    expected = [i.id for i in demo_instances(SEEDED) if i.project_id == PROJECT]
    seen: list[str] = []
    offset = 0
    while True:
        page = ListInstancesResponse.model_validate_json(
            _list(api, offset=offset, limit=page_size).content
        )
        assert page.total == len(expected)
        assert page.size == len(page.instances) <= page_size
        if not page.instances:
            break
        seen += [i.id for i in page.instances]
        offset += page.size
    assert seen == expected


def test_status_filter_counts_only_matching_instances(api: httpx.Client) -> None:
    instances = [i for i in demo_instances(SEEDED) if i.project_id == PROJECT]
    for status in {str(i.status) for i in instances}:
        page = ListInstancesResponse.model_validate_json(
            _list(api, status=status, limit=MAX_LIMIT).content
        )
        expected = [i.id for i in instances if str(i.status) == status]
        assert page.total == len(expected)
        assert [i.id for i in page.instances] == expected


def test_offset_past_the_end_is_an_empty_page_with_the_total(api: httpx.Client) -> None:
    for offset in (60, 61, 10**6, 10**30):
        page = ListInstancesResponse.model_validate_json(_list(api, offset=offset).content)
        assert (page.total, page.size, page.instances) == (60, 0, [])


def test_defaults_and_cap(api: httpx.Client, emulator: Emulator) -> None:
    emulator.store.put(demo_instances(2 * 700, projects=[OTHER]))
    emulator.credentials.add_token("other-token", OTHER)
    other = {"X-Auth-Token": "other-token"}
    default = api.get(f"/v2/{OTHER}/instances", headers=other).json()
    assert default["size"] == 20 and default["total"] >= 1400
    capped = api.get(f"/v2/{OTHER}/instances", params={"limit": 10**9}, headers=other).json()
    assert capped["size"] == MAX_LIMIT


def test_pages_are_built_from_the_models(api: httpx.Client) -> None:
    body = _list(api, limit=5).json()
    assert body["instances"][0] == json.loads(
        next(demo_instances(SEEDED)).model_dump_json(exclude_none=True)
    )


# --- authentication ----------------------------------------------------------------------------


def _signed(api: httpx.Client, secret: str = SK, access: str = AK, **kw: Any) -> httpx.Response:
    path = f"/v2/{PROJECT}/instances"
    url = httpx.URL(str(api.base_url).rstrip("/") + path, params={"limit": 3})
    headers = signing.sign(
        "GET",
        url.raw_path.decode().split("?")[0],
        signing.parse_query(url.query),
        {"Host": url.netloc.decode()},
        b"",
        access_key=access,
        secret_key=secret,
        **kw,
    )
    return httpx.get(url, headers={"Host": url.netloc.decode(), **headers})


def test_a_valid_signature_is_accepted(api: httpx.Client) -> None:
    response = _signed(api)
    assert response.status_code == 200, response.text
    assert response.json()["size"] == 3


@pytest.mark.parametrize(
    ("name", "kwargs", "reason"),
    [
        ("wrong secret key", {"secret": "not-the-secret"}, "signature"),
        ("unknown access key", {"access": "NOSUCHAK"}, "access key"),
        ("clock skew", {"now": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)}, "X-Sdk-Date"),
    ],
)
def test_signature_refusals_say_which(
    api: httpx.Client, name: str, kwargs: dict[str, Any], reason: str
) -> None:
    error = _error(_signed(api, **kwargs), 401)
    assert reason in error.error_msg, (name, error.error_msg)
    assert SK not in error.model_dump_json() and "not-the-secret" not in error.model_dump_json()


def test_unsupported_algorithm_is_refused(server: str) -> None:
    headers = {"Authorization": "Basic dXNlcjpwYXNz"}
    error = _error(httpx.get(f"{server}/v2/{PROJECT}/instances", headers=headers), 401)
    assert "algorithm" in error.error_msg


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-Auth-Token": ""}, 401),
        ({"X-Auth-Token": "not-a-token"}, 401),
        ({"X-Auth-Token": TOKEN[:-1]}, 401),
    ],
)
def test_token_refusals(server: str, headers: dict[str, str], status: int) -> None:
    error = _error(httpx.get(f"{server}/v2/{PROJECT}/instances", headers=headers), status)
    assert error.error_code == "ROMA.00012000"
    assert error.error_msg == "Incorrect token or token resolution failed"


def test_another_projects_path_is_forbidden(api: httpx.Client) -> None:
    error = _error(_list(api, project=OTHER), 403)
    assert (error.error_code, error.error_msg) == (
        "ROMA.00012000",
        "No permissions to request this method",
    )


def test_secrets_never_reach_the_journal(api: httpx.Client, emulator: Emulator) -> None:
    _list(api)
    _signed(api)
    _signed(api, secret="wrong")
    dumped = json.dumps([e.to_dict() for e in emulator.journal.entries()])
    assert TOKEN not in dumped and SK not in dumped
    assert [e.auth for e in emulator.journal.entries()][:2] == ["token", "aksk"]


# --- bad input ---------------------------------------------------------------------------------

BAD_QUERIES = [
    ("offset=-1", "offset"),
    ("offset=abc", "offset"),
    ("offset=1.5", "offset"),
    ("offset=", "offset"),
    ("limit=0", "limit"),
    ("limit=-5", "limit"),
    ("limit=1e3", "limit"),
    ("limit=%F0%9F%92%A5", "limit"),
    ("limit=1&limit=2", "limit"),
    ("status=running", "status"),
    ("status=", "status"),
    ("status=RUNNING&status=ERROR", "status"),
    ("status=%00", "status"),
    ("status=%FF", "status"),
    ("status=" + "A" * 10_000, "status"),
    ("limit=9" * 3 + "x", "limit"),
]


@pytest.mark.parametrize(("query", "name"), BAD_QUERIES)
def test_bad_parameters_are_400s_naming_the_parameter(
    api: httpx.Client, query: str, name: str
) -> None:
    response = api.get(f"/v2/{PROJECT}/instances?{query}")
    error = _error(response, 400)
    assert error.error_code == "ROMA.00013000"
    assert error.error_msg == (
        f"Invalid parameter value,parameterName:{name}. Please refer to the support documentation"
    )


@pytest.mark.parametrize(
    "query",
    ["unknown=1", "offset=0&extra=%FF", "limit=500000000000000000000000000000", "offset=007"],
)
def test_unknown_or_odd_but_valid_parameters_are_served(api: httpx.Client, query: str) -> None:
    assert api.get(f"/v2/{PROJECT}/instances?{query}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v2/instances", 404),
        ("GET", f"/v2/{PROJECT}/instances/extra", 404),
        ("GET", f"/v3/{PROJECT}/instances", 404),
        ("GET", "/", 404),
        ("POST", f"/v2/{PROJECT}/instances", 405),
        ("DELETE", f"/v2/{PROJECT}/instances", 405),
    ],
)
def test_unknown_paths_and_methods_answer_in_romas_dialect(
    api: httpx.Client, method: str, path: str, status: int
) -> None:
    error = _error(api.request(method, path), status)
    assert error.error_code == "APIG.0101"
    if status == 405:
        assert "GET" in api.request(method, path).headers["allow"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v2/%FF/instances", 400),
        ("/v2/%00/instances", 403),
        ("/v2/" + "p" * 10_000 + "/instances", 403),
    ],
)
def test_odd_project_ids_are_client_errors(api: httpx.Client, path: str, status: int) -> None:
    _error(api.get(path), status)


def test_an_encoded_slash_stays_inside_the_project_id(
    api: httpx.Client, emulator: Emulator
) -> None:
    emulator.credentials.add_token("slash-token", "a/b")
    response = api.get("/v2/a%2Fb/instances", headers={"X-Auth-Token": "slash-token"})
    assert response.json() == {"total": 0, "size": 0, "instances": []}


# --- admin API ---------------------------------------------------------------------------------


def test_faults_answer_the_next_calls_then_stop(api: httpx.Client) -> None:
    fault = {"status": 503, "count": 2, "retry_after": 1}
    assert api.post("/_emulator/faults", json=fault).status_code == 201
    for _ in range(2):
        response = _list(api)
        error = _error(response, 503)
        assert error.error_code == "ROMA.00011000"
        assert response.headers["retry-after"] == "1"
    assert _list(api).status_code == 200


def test_throttling_fault_and_project_scoping(api: httpx.Client) -> None:
    api.post("/_emulator/faults", json={"status": 429, "project_id": OTHER})
    assert _list(api).status_code == 200  # another project's fault does not match
    assert _error(_list(api, project=OTHER), 429).error_code == "APIG.0308"


@pytest.mark.parametrize(
    "fault", [{"status": 200}, {"status": 503, "count": 0}, {"status": "x"}, {"retry_after": -1}]
)
def test_bad_fault_requests_are_refused(api: httpx.Client, fault: dict[str, Any]) -> None:
    _error(api.post("/_emulator/faults", json=fault), 400)


def test_latency_for_n_calls(api: httpx.Client, emulator: Emulator) -> None:
    api.post("/_emulator/latency", json={"ms": 120, "count": 1})
    slow, fast = _list(api), _list(api)
    assert slow.elapsed >= dt.timedelta(milliseconds=120)
    assert emulator.faults.latency is None
    assert fast.status_code == 200


def test_journal_records_requests(api: httpx.Client) -> None:
    _list(api, limit=2)
    _list(api, limit=0)
    entries = api.get("/_emulator/journal", params={"limit": 2}).json()["entries"]
    assert [(e["status"], e["query"], e["error_code"]) for e in entries] == [
        (200, "limit=2", None),
        (400, "limit=0", "ROMA.00013000"),
    ]
    assert api.delete("/_emulator/journal").json() == {"entries": []}


def test_put_and_delete_instances(api: httpx.Client) -> None:
    body = {"name": "added", "status": "ERROR", "flavor_type": "Basic"}  # an unknown spelling
    put = api.put(f"/_emulator/projects/{PROJECT}/instances/new-1", json=body)
    assert put.status_code == 200, put.text
    page = _list(api, status="ERROR", limit=MAX_LIMIT).json()
    assert page["instances"][-1] == {"id": "new-1", "project_id": PROJECT, **body}
    assert api.delete(f"/_emulator/projects/{PROJECT}/instances/new-1").status_code == 200
    _error(api.delete(f"/_emulator/projects/{PROJECT}/instances/new-1"), 404)
    error = _error(api.put(f"/_emulator/projects/{PROJECT}/instances/x", json={"name": 1}), 400)
    assert "name" in error.error_msg


def test_reset_and_fixtures(api: httpx.Client) -> None:
    assert api.post("/_emulator/reset").json() == {"instances": 0}
    assert _list(api).json()["total"] == 0
    fixtures = yaml.safe_load((ROOT / "docs/examples/instances.yaml").read_text())
    assert api.post("/_emulator/fixtures", json=fixtures).json() == {"instances": 3}
    assert _list(api).json()["total"] == 2
    assert api.post("/_emulator/reset", json={"seed": 10}).json() == {"instances": 10}
    _error(api.post("/_emulator/fixtures", json=[{"id": "x"}]), 400)
    _error(api.post("/_emulator/fixtures", content=b"{not json"), 400)


# --- fixtures and the store --------------------------------------------------------------------


def test_example_fixtures_match_the_spec() -> None:
    """docs/examples/instances.yaml doubles as documentation: it must be valid per the spec."""
    from generator.lint_spec import validator_for

    spec = load_spec(SPEC_PATH)
    validator = validator_for(spec, "#/components/schemas/Instance")
    fixtures = yaml.safe_load((ROOT / "docs/examples/instances.yaml").read_text())["instances"]
    for instance in fixtures:
        assert list(validator.iter_errors(instance)) == []
    assert [i.id for i in load_fixtures(ROOT / "docs/examples/instances.yaml")] == [
        f["id"] for f in fixtures
    ]


def test_a_file_store_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "roma.sqlite")
    store = Store(path)
    store.put(demo_instances(10))
    store.delete(PROJECT, next(demo_instances(10)).id)
    before = store.page(PROJECT, None, 0, 100)
    store.close()
    reopened = Store(path)
    assert reopened.page(PROJECT, None, 0, 100) == before
    assert reopened.count() == 9


def test_replacing_keeps_the_place_and_ranks_stay_dense() -> None:
    store = Store()
    instances = list(demo_instances(12, projects=[PROJECT]))
    store.put(instances)
    changed = instances[3].model_copy(update={"status": "DELETED", "name": "renamed"})
    store.put([changed])
    store.delete(PROJECT, instances[5].id)
    ids = [Instance.model_validate_json(b).id for b in store.page(PROJECT, None, 0, 100).bodies]
    assert ids == [i.id for n, i in enumerate(instances) if n != 5]
    deleted = store.page(PROJECT, "DELETED", 0, 100)
    assert instances[3].id in [Instance.model_validate_json(b).id for b in deleted.bodies]
    for status in {str(i.status) for i in instances} | {"DELETED"}:
        page = store.page(PROJECT, status, 0, 100)
        assert page.total == len(page.bodies)  # dense ranks: total = last rank + 1


def test_pages_across_cached_blocks_match_the_table(tmp_path: Path) -> None:
    """Pages come from cached blocks of rows; any page, straddling blocks or not, must be the
    rows SQLite itself holds in that order."""
    import sqlite3

    path = str(tmp_path / "blocks.sqlite")
    store = Store(path)
    store.put(demo_instances(2 * 2345, projects=[PROJECT, OTHER]))
    direct = sqlite3.connect(path)
    ordered = [b for (b,) in direct.execute(
        "SELECT body FROM instances WHERE project_id = ? ORDER BY seq", (PROJECT,)
    )]  # fmt: skip
    for offset, limit in [(0, 100), (950, 100), (999, 2), (1000, 1), (1900, 500), (2300, 500)]:
        page = store.page(PROJECT, None, offset, limit)
        assert page.total == len(ordered)
        assert page.bodies == ordered[offset : offset + limit], (offset, limit)


def test_a_write_by_another_connection_is_seen(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    reader, writer = Store(path), Store(path)
    writer.put(demo_instances(10))
    assert reader.page(PROJECT, None, 0, 100).total == 5  # cached now
    writer.put(demo_instances(20))
    assert reader.page(PROJECT, None, 0, 100).total == 10
    writer.delete(PROJECT, next(demo_instances(20)).id)
    assert reader.page(PROJECT, None, 0, 100).total == 9
    assert (
        reader.page(PROJECT, "RUNNING", 0, 100).total
        == writer.page(PROJECT, "RUNNING", 0, 100).total
    )
