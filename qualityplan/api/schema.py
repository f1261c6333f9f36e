"""OpenAPI postprocessing: declare what every operation can really answer.

* every operation: 401/403 (authentication, permission) and, with a path id, 404; writes and filtered lists: 400;
* PUT/PATCH on a versioned object: the required ``If-Match`` header, 412 (stale) and 428 (missing);
  POST actions on an object: an optional ``If-Match`` and 412.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "error details: `detail`, or `message` + `extra`, or field name → list of messages",
    "additionalProperties": True,
}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _if_match(required: bool) -> dict:
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "description": "ETag of the object the change is based on (from its detail response); stale → 412"
        + ("; missing → 428" if required else ""),
        "schema": {"type": "string"},
    }


def declare_errors(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        has_id = "{" in path
        for method, op in operations.items():
            if method not in ("get", "put", "patch", "post", "delete"):
                continue
            responses = op.setdefault("responses", {})
            responses.setdefault("400", _response("invalid input: the offending field is named"))
            responses.setdefault("401", _response("not signed in"))
            responses.setdefault("403", _response("not allowed"))
            if has_id:
                responses.setdefault("404", _response("not found or outside the user's data scope"))
            if has_id and method in ("put", "patch", "post", "delete"):
                params = op.setdefault("parameters", [])
                if not any(p.get("name") == "If-Match" for p in params):
                    params.append(_if_match(required=method in ("put", "patch")))
                responses.setdefault("412", _response("If-Match does not match the current ETag"))
                if method in ("put", "patch"):
                    responses.setdefault("428", _response("If-Match missing"))
                    responses.setdefault("409", _response("conflicts with the object's current state"))
            if method == "post":
                responses.setdefault("409", _response("conflicts with the object's current state"))
    return result
