"""The Accounting API v3 handlers of the QuickBooks sandbox: read, write, query, CDC and batch."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from .base import Request, SandboxServer
from .qbo_common import (
    BUSINESS_VALIDATION,
    QboFault,
    business,
    envelope_time,
    invalid_id,
    invalid_query,
    loads,
    not_found,
    now_local,
    parse_datetime,
    query_parse_error,
    required_missing,
    unsupported_operation,
)
from .qbo_data import READ_ONLY, SINGLETONS, SUPPORTED, URL_ENTITIES, Company, WriteContext
from .qbo_fault_answers import unknown_resource
from .qbo_query import QueryEngine, parse_query
from .qbo_xsd_input import invalid_property
from .xsd_model import FieldModel

CDC_MAX_OBJECTS = 1000  # ref §5
CDC_LOOKBACK = timedelta(days=30)  # ref §5
BATCH_MAX_ITEMS = 30  # ref §3 ([LIMITS] "recommended max 30 payloads per batch")


class ApiRoutes(SandboxServer):
    """Handlers `(request, company) -> answer` of /v3/company/{realm}/..., mixed into `QboSandbox`."""

    model: FieldModel
    queries: QueryEngine

    def _entity_of(self, request: Request) -> str:
        entity = URL_ENTITIES.get(request.params["entity"].lower())
        if entity is None:
            raise unknown_resource(self.url, request.path)
        return entity

    def _read(self, request: Request, company: Company) -> dict[str, Any]:
        entity = self._entity_of(request)
        oid = request.params["oid"]
        if entity in SINGLETONS:
            oid = "1"
        elif not oid.isdigit() and not (entity == "TaxCode" and oid in ("TAX", "NON")):
            raise invalid_id(oid)  # fault_invalid_id_2030.json
        return {entity: company.get(entity, oid), "time": envelope_time()}

    def _read_companyinfo(self, request: Request, company: Company) -> dict[str, Any]:
        oid = request.params["oid"]
        if oid not in (company.realm_id, "1"):
            raise invalid_id(oid) if not oid.isdigit() else not_found()
        return {"CompanyInfo": company.get("CompanyInfo", "1"), "time": envelope_time()}

    def _read_preferences(self, request: Request, company: Company) -> dict[str, Any]:
        return {"Preferences": company.get("Preferences", "1"), "time": envelope_time()}

    def _body_json(self, request: Request) -> Any:
        try:
            return loads(request.body or b"null")
        except ValueError as exc:
            raise invalid_property(
                f"Failed to parse the JSON request body ({exc}) specified is unsupported or invalid"
            ) from None

    def _write(self, request: Request, company: Company) -> dict[str, Any]:
        entity = self._entity_of(request)
        operation = request.query.get("operation")
        if entity in READ_ONLY:
            raise unsupported_operation(
                f"Operation {operation or 'create/update'} is not supported for {entity}."
            )
        body = self._body_json(request)
        obj = company.write(entity, body, operation)
        return {entity: obj, "time": envelope_time()}

    def _run_query(self, company: Company, text: str) -> dict[str, Any]:
        if not text or not text.strip():
            raise query_parse_error('Encountered "<EOF>" at line 1, column 0.')
        query = parse_query(text)
        self.queries.validate(query, self.model.entities())
        objects = company.all(query.entity) if query.entity in company.objects else []
        return self.queries.run(query, objects)

    def _query(self, request: Request, company: Company) -> dict[str, Any]:
        if request.method == "POST":  # Content-Type application/text, SELECT as body (ref §2)
            text = request.body.decode("utf-8", errors="replace")
        else:
            text = request.query.get("query", "")
        return {"QueryResponse": self._run_query(company, text), "time": envelope_time()}

    def _cdc(self, request: Request, company: Company) -> dict[str, Any]:
        raw_entities = request.query.get("entities", "")
        since_raw = request.query.get("changedSince", "")
        if not raw_entities.strip():
            raise required_missing("entities")
        if not since_raw.strip():
            raise required_missing("changedSince")
        by_lower = {e.lower(): e for e in self.model.entities()}
        entities: list[str] = []
        for name in raw_entities.split(","):
            entity = by_lower.get(
                name.strip().lower()
            )  # cdc_response.json was asked with `entities=estimate`
            if entity is None:
                raise invalid_query(f"invalid context declaration: {name.strip()}")
            if entity not in entities:
                entities.append(entity)
        try:
            since = parse_datetime(since_raw)
        except ValueError:
            raise invalid_property(f"changedSince value {since_raw!r} is not a valid date-time") from None
        if since < now_local() - CDC_LOOKBACK:
            # look-back limited to the last 30 days (ref §5); exact fault wording UNVERIFIED
            raise business("changedSince must be within the last 30 days.", "changedSince")
        changed: list[tuple[Any, int, str, dict[str, Any]]] = []
        for entity in entities:
            if entity not in company.objects:
                continue
            for updated, obj in company.changed_since(entity, since):
                changed.append((updated, int(obj["Id"]) if str(obj["Id"]).isdigit() else 0, entity, obj))
        changed.sort(key=lambda c: (c[0], c[1]))
        changed = changed[:CDC_MAX_OBJECTS]  # at most 1,000 objects in all (ref §5): oldest first
        responses: list[dict[str, Any]] = []
        for entity in entities:
            objs = [c[3] for c in changed if c[2] == entity]
            responses.append({entity: objs, "startPosition": 1, "maxResults": len(objs)} if objs else {})
        return {"CDCResponse": [{"QueryResponse": responses}], "time": envelope_time()}

    def _batch(self, request: Request, company: Company) -> dict[str, Any]:
        body = self._body_json(request)
        items = body.get("BatchItemRequest") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise required_missing("BatchItemRequest")
        if len(items) > BATCH_MAX_ITEMS:
            # UNVERIFIED wording; [LIMITS] caps a batch at 30 payloads
            raise QboFault(
                "6000",
                BUSINESS_VALIDATION,
                f"Business Validation Error: a batch may hold at most {BATCH_MAX_ITEMS} items; "
                f"this one has {len(items)}.",
            )
        ctx = WriteContext()
        out: list[dict[str, Any]] = []
        for item in items:
            answer: dict[str, Any]
            bid = item.get("bId") if isinstance(item, dict) else None
            try:
                answer = self._batch_item(item, company, ctx)
            except QboFault as fault:
                f = fault.fault()
                for err in f["Error"]:
                    err.setdefault("element", "")  # batch_response.json
                answer = {"Fault": f}
            # objects created by an item stay invisible to later items (ref §3)
            ctx.hidden.update(ctx.created)
            answer["bId"] = bid
            out.append(answer)
        return {"BatchItemResponse": out, "time": envelope_time()}

    def _batch_item(self, item: Any, company: Company, ctx: WriteContext) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise invalid_property("BatchItemRequest items must be objects specified is unsupported or invalid")
        if "Query" in item:
            return {"QueryResponse": self._run_query(company, str(item["Query"]))}
        keys = [k for k in item if k not in ("bId", "operation", "optionsData")]
        if len(keys) != 1:
            raise invalid_property(f"{','.join(keys) or '(none)'} specified is unsupported or invalid")
        entity = keys[0]
        if entity not in SUPPORTED or entity in READ_ONLY:
            if entity in self.model.entities():
                raise unsupported_operation(f"Operation on {entity} is not supported by this sandbox.")
            raise invalid_property(f'Unrecognized field "{entity}" specified is unsupported or invalid')
        operation = str(item.get("operation") or "create")
        if operation not in ("create", "update", "delete", "void"):
            raise unsupported_operation(f"Operation {operation} is not supported.")
        payload = item[entity]
        if operation == "update" and isinstance(payload, dict) and "Id" not in payload:
            raise required_missing("Id")
        obj = company.write(entity, payload, operation, ctx)
        return {entity: copy.deepcopy(obj)}
