"""Fixtures for the CrocoClick sandbox.

- `croco_sandbox`: a started `CrocoSandbox` with location "loc_demo" ("Atelier Lumière", US, USD) and
  the API key CROCO_API_KEY ("ck_test_sandboxkey_0001") for it; stopped after the test.
- `croco_sandbox_ca`: a separate started sandbox with location "loc_ca" ("Boutique Érable", CA, CAD,
  America/Toronto); the same API key CROCO_API_KEY is valid for it.
- `croco_sandbox_factory`: `make(time_scale=..., **kwargs)` -> a started sandbox with "loc_demo" and
  the key (for rate-limit tests at a compressed time scale, or relay URLs); all stopped after.
- `croco_http`: a `CrocoHttp` (thin `requests` wrapper sending the key and location headers) bound to
  `croco_sandbox`.
- `croco_spec_validator`: `validate(instance, "Contact")` checks a JSON value against a schema of
  `crococlick-api.yaml`, `validate.response(body, "/contacts", "get", 200)` against an operation's
  response (strict: objects may carry no property the spec does not declare). Needs PyYAML and
  jsonschema (dev dependencies); tests using it are skipped without them.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from crocoqb_desktop.sandbox.croco_server import CrocoSandbox

CROCO_API_KEY = "ck_test_sandboxkey_0001"
CROCO_LOCATION = "loc_demo"
CROCO_LOCATION_NAME = "Atelier Lumière"
CROCO_CA_LOCATION = "loc_ca"
CROCO_CA_LOCATION_NAME = "Boutique Érable"

_SPEC = (
    Path(os.environ.get("CROCOQB_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
    / "crococlick-api.yaml"
)


def make_croco_sandbox(*, ca: bool = False, **kwargs: Any) -> CrocoSandbox:
    """A started sandbox with the standard test location and key (the caller stops it)."""
    sandbox = CrocoSandbox(**kwargs)
    if ca:
        sandbox.add_location(
            CROCO_CA_LOCATION,
            name=CROCO_CA_LOCATION_NAME,
            country="CA",
            currency="CAD",
            timezone="America/Toronto",
        )
        sandbox.add_api_key(CROCO_API_KEY, [CROCO_CA_LOCATION])
    else:
        sandbox.add_location(
            CROCO_LOCATION,
            name=CROCO_LOCATION_NAME,
            country="US",
            currency="USD",
            timezone="America/New_York",
        )
        sandbox.add_api_key(CROCO_API_KEY, [CROCO_LOCATION])
    sandbox.start()
    return sandbox


class CrocoHttp:
    """Real HTTP calls to a sandbox with `Authorization` and `X-Location-Id` set."""

    def __init__(
        self,
        sandbox: CrocoSandbox,
        api_key: str = CROCO_API_KEY,
        location_id: str = CROCO_LOCATION,
        timeout: float = 10.0,
    ) -> None:
        self.sandbox = sandbox
        self.base = sandbox.url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "X-Location-Id": location_id})

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)


@pytest.fixture
def croco_sandbox() -> Iterator[CrocoSandbox]:
    sandbox = make_croco_sandbox()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def croco_sandbox_ca() -> Iterator[CrocoSandbox]:
    sandbox = make_croco_sandbox(ca=True)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def croco_sandbox_factory() -> Iterator[Callable[..., CrocoSandbox]]:
    started: list[CrocoSandbox] = []

    def make(**kwargs: Any) -> CrocoSandbox:
        sandbox = make_croco_sandbox(**kwargs)
        started.append(sandbox)
        return sandbox

    try:
        yield make
    finally:
        for sandbox in started:
            sandbox.stop()


@pytest.fixture
def croco_http(croco_sandbox: CrocoSandbox) -> Iterator[CrocoHttp]:
    http = CrocoHttp(croco_sandbox)
    try:
        yield http
    finally:
        http.session.close()


def _strict(node: Any, in_all_of: bool = False) -> Any:
    """Copy of a schema where every object schema with `properties` (and no `additionalProperties`)
    also says `unevaluatedProperties: false`, so that undeclared properties fail validation.
    Members of an `allOf` are left open; the `allOf` owner is closed instead."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "allOf":
            out[key] = [_strict(item, in_all_of=True) for item in value]
        elif key in ("properties", "patternProperties", "$defs"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if ("properties" in node or "allOf" in node) and "additionalProperties" not in node and not in_all_of:
        out["unevaluatedProperties"] = False
    return out


@pytest.fixture(scope="session")
def croco_spec() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    with open(_SPEC, encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


class CrocoSpecValidator:
    """Validates JSON values against `crococlick-api.yaml` (strict: no undeclared properties)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        import jsonschema
        import referencing
        from referencing.jsonschema import DRAFT202012

        doc = copy.deepcopy(spec)
        schemas = doc["components"]["schemas"]
        # schemas used as allOf members elsewhere must stay open (their owner is closed instead)
        open_names = {"PageInfo", "ContactWrite"}
        for name, schema in list(schemas.items()):
            schemas[name] = _strict(schema, in_all_of=name in open_names)
        doc["paths"] = _strict(doc["paths"])
        self.doc = doc
        self._jsonschema = jsonschema
        resource = referencing.Resource.from_contents(doc, default_specification=DRAFT202012)
        self._registry = referencing.Registry().with_resource("urn:crococlick", resource)

    def _check(self, instance: Any, pointer: str, label: str) -> None:
        jsonschema = self._jsonschema
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"urn:crococlick#{pointer}"},
            registry=self._registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:10]]
            raise AssertionError(f"{label} does not match the spec:\n" + "\n".join(lines))

    def __call__(self, instance: Any, schema_name: str) -> None:
        """Check against `#/components/schemas/<schema_name>`."""
        self._check(instance, f"/components/schemas/{schema_name}", schema_name)

    def response(self, instance: Any, path: str, method: str, status: int) -> None:
        """Check a response body against the spec's schema for `method path -> status`."""
        escaped = path.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/responses/{status}"
        node = self.doc["paths"][path][method.lower()]["responses"][str(status)]
        if "$ref" in node:
            pointer = node["$ref"][1:]
            node = self.doc["components"]["responses"][pointer.rsplit("/", 1)[1]]
        if "content" not in node:
            raise AssertionError(f"{method} {path} -> {status} has no body in the spec")
        media = next(iter(node["content"]))
        escaped_media = media.replace("~", "~0").replace("/", "~1")
        self._check(instance, f"{pointer}/content/{escaped_media}/schema", f"{method} {path} -> {status}")


@pytest.fixture(scope="session")
def croco_spec_validator(croco_spec: dict[str, Any]) -> CrocoSpecValidator:
    pytest.importorskip("jsonschema")
    pytest.importorskip("referencing")
    return CrocoSpecValidator(croco_spec)
