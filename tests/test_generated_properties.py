"""Property tests of the generated client and models, with cases drawn by schemathesis.

*Requests*: for any call the spec allows, the generated client sends exactly the method, path,
query and ``X-Auth-Token`` that schemathesis' case describes (captured over a mock transport).

*Responses*: for any body that a documented response schema allows, plus unknown members and
unknown enum values, the client parses it into the type the spec names for that status, known
enum values become enum members, unknown ones stay strings, and serialising gives the body back
(date-time spelling aside). The pydantic models accept the same bodies and round-trip them too.

Response bodies are drawn through schemathesis' public API: a synthetic operation per status
whose request body schema is that status' response schema (schemathesis has no public strategy
for responses).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import roma_connect_models
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from roma_connect_client import Client
from roma_connect_client.api.instances import list_instances
from roma_connect_client.models import InstanceStatus
from schemathesis.specs.openapi.schemas import OpenApiSchema

from generator.generate import client_view
from tests.spec_tools import deref, load_spec

BASE_URL = "http://roma.test"
PATH = "/v2/{project_id}/instances"
SPEC = load_spec()
VIEW = client_view(SPEC)
CLIENT_MODELS = importlib.import_module("roma_connect_client.models")

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _response_schema(status: str) -> dict[str, Any]:
    response = deref(SPEC, SPEC["paths"][PATH]["get"]["responses"][status])
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


STATUSES = sorted(SPEC["paths"][PATH]["get"]["responses"])


def _schema_name(status: str) -> str:
    ref: str = _response_schema(status)["$ref"]
    return ref.rsplit("/", 1)[-1]


def _bodies_schema() -> OpenApiSchema:
    """A synthetic API: ``POST /<status>`` takes that status' response body (client view)."""
    paths = {
        f"/{status}": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _response_schema(status)}},
                },
                "responses": {"200": {"description": "unused"}},
            }
        }
        for status in STATUSES
    }
    document = {"openapi": "3.0.3", "info": VIEW["info"], "paths": paths}
    document["components"] = {"schemas": VIEW["components"]["schemas"]}
    return schemathesis.openapi.from_dict(document)


BODIES = _bodies_schema()


# --- helpers ---------------------------------------------------------------------------------


def _normalise(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` with every date-time (per ``schema``) parsed, so spellings compare equal."""
    schema = deref(VIEW, schema)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {k: _normalise(v, properties.get(k, {})) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v, schema.get("items", {})) for v in value]
    if isinstance(value, str) and schema.get("format") == "date-time":
        return dt.datetime.fromisoformat(value)
    return value


def _assert_typed(obj: Any, raw: Any, schema: Mapping[str, Any], module: Any) -> None:
    """Walk ``raw`` with its (client view) schema and the object parsed from it: every known enum
    value is a member of ``module``'s enum class of that name; every unknown one a plain ``str``.
    """
    schema = deref(VIEW, schema)
    if isinstance(raw, list):
        assert len(obj) == len(raw)
        for item, raw_item in zip(obj, raw, strict=True):
            _assert_typed(item, raw_item, schema.get("items", {}), module)
        return
    if not isinstance(raw, dict):
        return
    for name, prop in schema.get("properties", {}).items():
        if name not in raw:
            continue
        value = getattr(obj, name)
        enum_refs = [b["$ref"] for b in prop.get("anyOf", []) if "enum" in deref(VIEW, b)]
        if not enum_refs:
            _assert_typed(value, raw[name], prop, module)
            continue
        enum_class = getattr(module, enum_refs[0].rsplit("/", 1)[-1])
        if raw[name] in {m.value for m in enum_class}:
            assert isinstance(value, enum_class), f"{name}={raw[name]!r} not a {enum_class}"
            assert value.value == raw[name]
        else:
            assert type(value) is str and value == raw[name], f"{name}: {value!r}"


def _with_unknown_members(draw: st.DrawFn, body: Any, schema: Mapping[str, Any]) -> Any:
    """``body`` with extra members the spec does not know, at every object level."""
    schema = deref(VIEW, schema)
    if isinstance(body, dict):
        known = schema.get("properties", {})
        result = {k: _with_unknown_members(draw, v, known.get(k, {})) for k, v in body.items()}
        extra = draw(
            st.dictionaries(
                st.text(min_size=1, max_size=12).filter(lambda k: k not in known),
                st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                max_size=2,
            )
        )
        return {**result, **extra}
    if isinstance(body, list):
        return [_with_unknown_members(draw, item, schema.get("items", {})) for item in body]
    return body


def _mock_client(handler: Any) -> Client:
    return Client(base_url=BASE_URL, httpx_args={"transport": httpx.MockTransport(handler)})


# --- requests --------------------------------------------------------------------------------

OPERATION = schemathesis.openapi.from_dict(VIEW)[PATH]["GET"]


# schemathesis keeps "/" out of the path parameters it draws; these project ids bring it and the
# other characters that break a path left unencoded.
_URL_SPECIAL = st.text(alphabet="/?#&=+;:@ .~-_é", min_size=1, max_size=10)
# RFC 3986 removes "." and ".." path segments from every URL (httpx does too), encoded or not:
# no client can send such a project id, so it is no case to hold the client to.
_DOT_SEGMENTS = {".", ".."}


@st.composite
def requests(draw: st.DrawFn) -> Any:
    """A case for the operation; a quarter of them with a URL-special project id."""
    if draw(st.integers(0, 3)) == 0:
        project_id = draw(_URL_SPECIAL)
        return draw(OPERATION.as_strategy(path_parameters={"project_id": project_id}))
    return draw(OPERATION.as_strategy())


@PROPERTY_SETTINGS
@given(case=requests(), as_member=st.booleans())
def test_client_sends_the_request_the_case_describes(case: Any, as_member: bool) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"total": 0, "size": 0, "instances": []})

    query = dict(case.query or {})
    status = query.get("status")
    if as_member and status in {m.value for m in InstanceStatus}:
        query["status"] = InstanceStatus(status)  # the typed spelling of the same filter
    project_id = unquote(case.path_parameters["project_id"])
    assume(project_id not in _DOT_SEGMENTS)
    list_instances.sync_detailed(
        project_id,
        client=_mock_client(record),
        x_auth_token=case.headers["X-Auth-Token"],
        **query,
    )

    expected = case.as_transport_kwargs(base_url=BASE_URL)
    (request,) = sent
    assert request.method == expected["method"]
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    # Each path segment must arrive intact: an unencoded "/", "?", "#" or "%" breaks this.
    segments = [unquote(s) for s in raw_path.split("/")]
    assert segments == [unquote(s) for s in urlsplit(expected["url"]).path.split("/")]
    assert segments == ["", "v2", project_id, "instances"]
    sent_query = sorted(parse_qsl(raw_query, keep_blank_values=True))
    expected_query = sorted((k, str(v)) for k, v in expected["params"].items())
    assert sent_query == expected_query
    assert request.headers["X-Auth-Token"] == expected["headers"]["X-Auth-Token"]


# --- responses -------------------------------------------------------------------------------


@st.composite
def documented_responses(draw: st.DrawFn) -> tuple[str, Any]:
    """(status, body) for any documented status and any body its schema allows, plus extras."""
    status = draw(st.sampled_from(STATUSES))
    case = draw(BODIES[f"/{status}"]["POST"].as_strategy())
    return status, _with_unknown_members(draw, case.body, _response_schema(status))


@PROPERTY_SETTINGS
@given(documented_responses())
def test_client_parses_and_round_trips_every_documented_response(
    response: tuple[str, Any],
) -> None:
    status, body = response
    name = _schema_name(status)
    result = list_instances.sync_detailed(
        "p", client=_mock_client(lambda _: httpx.Response(int(status), json=body)), x_auth_token="t"
    )
    assert type(result.parsed) is getattr(CLIENT_MODELS, name), (status, type(result.parsed))
    assert result.parsed is not None
    schema = _response_schema(status)
    assert _normalise(result.parsed.to_dict(), schema) == _normalise(body, schema)
    _assert_typed(result.parsed, body, schema, CLIENT_MODELS)


@PROPERTY_SETTINGS
@given(documented_responses())
def test_models_accept_and_round_trip_every_documented_response(
    response: tuple[str, Any],
) -> None:
    status, body = response
    schema = _response_schema(status)
    model = getattr(roma_connect_models, _schema_name(status)).model_validate(body)
    dumped = model.model_dump(mode="json", exclude_unset=True, by_alias=True)
    assert _normalise(dumped, schema) == _normalise(body, schema)
    _assert_typed(model, body, schema, roma_connect_models)
