"""The OpenAPI 3.1 description of the HTTP JSON API (``GET /api/v1/openapi.json``).

Written by hand beside the routes (:mod:`liaison.web.api`); a test checks
that every API route is described and every described path is served.
"""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/responses/Error"}
_ERRORS = {str(code): _ERROR for code in (400, 401, 403, 404, 429, 503)}
_IDENTITIES = {
    "type": "array",
    "minItems": 1,
    "description": "Rows as in a JSON Lines input file (docs/input-format.md)",
    "items": {"type": "object"},
}
_JUSTIFICATION = {
    "case_id": {"type": "string", "minLength": 1},
    "purpose": {"type": "string", "minLength": 1, "description": "one of the federation's"},
    "legal_basis": {"type": "string", "minLength": 1},
}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _ok(schema: str, code: str = "200", text: str = "OK") -> dict[str, Any]:
    return {code: {"description": text, **_json(schema)}, **_ERRORS}


def _id(name: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]


def openapi_document(agency: str) -> dict[str, Any]:
    """The API's description, for the node of ``agency``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Liaison node {agency}: agency systems API",
            "version": "1",
            "description": "Federated hit/no-hit matching through this agency's node. "
            "Authenticate with a system account's token: 'Authorization: Bearer lt1:...'.",
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/match": {
                "post": {
                    "summary": "Run a federated match (investigator account)",
                    "requestBody": {"required": True, **_json("MatchRequest")},
                    "responses": _ok("MatchResult", "201", "The match ran; its result"),
                }
            },
            "/api/v1/matches/{query_id}": {
                "get": {
                    "summary": "A match's status and result",
                    "parameters": _id("query_id"),
                    "responses": _ok("MatchResult"),
                }
            },
            "/api/v1/watches": {
                "get": {"summary": "The account's standing watches", "responses": _ok("Watches")},
                "post": {
                    "summary": "Register a standing watch and run it once",
                    "requestBody": {"required": True, **_json("WatchRequest")},
                    "responses": _ok("Watch", "201", "The watch and its first hits"),
                },
            },
            "/api/v1/watches/{watch_id}": {
                "get": {
                    "summary": "One watch and its hits",
                    "parameters": _id("watch_id"),
                    "responses": _ok("Watch"),
                },
                "delete": {
                    "summary": "End a watch",
                    "parameters": _id("watch_id"),
                    "responses": _ok("Watch"),
                },
            },
            "/api/v1/notices": {
                "get": {
                    "summary": "The account's notices (watch hits, follow-up replies)",
                    "parameters": [
                        {"name": "unread", "in": "query", "schema": {"type": "boolean"}}
                    ],
                    "responses": _ok("Notices"),
                }
            },
            "/api/v1/datasets": {
                "get": {"summary": "The node's datasets", "responses": _ok("Datasets")}
            },
            "/api/v1/followups": {
                "get": {
                    "summary": "The account's follow-ups: received (officer), sent (investigator)",
                    "responses": _ok("Followups"),
                },
                "post": {
                    "summary": "Ask the partner about one hit row (investigator account)",
                    "requestBody": {"required": True, **_json("FollowupRequest")},
                    "responses": _ok("Followup", "201", "The follow-up, queued"),
                },
            },
            "/api/v1/followups/{followup_id}": {
                "get": {
                    "summary": "One follow-up (an officer sees the matched records)",
                    "parameters": _id("followup_id"),
                    "responses": _ok("Followup"),
                }
            },
            "/api/v1/followups/{followup_id}/answer": {
                "post": {
                    "summary": "Approve chosen fields with a handling code, or refuse (officer)",
                    "parameters": _id("followup_id"),
                    "requestBody": {"required": True, **_json("FollowupAnswer")},
                    "responses": _ok("Followup"),
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Refused", **_json("Error")}},
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict[str, Any]:
    hit = {
        "type": "object",
        "properties": {
            "row": {"type": "integer"},
            "ref": {"type": "string"},
            "keys": {"type": "array", "items": {"type": "string"}},
            "strength": {"enum": ["fuzzy", "strong", "exact"]},
            "strength_words": {"type": "string"},
        },
    }
    names = {"type": "array", "items": {"type": "string"}, "maxItems": 64}
    return {
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
        },
        "MatchRequest": {
            "type": "object",
            "required": ["case_id", "purpose", "legal_basis", "identities"],
            "properties": {
                **_JUSTIFICATION,
                "identities": _IDENTITIES,
                "partners": names,
                "datasets": names,
                "min_strength": {"enum": ["fuzzy", "strong", "exact"]},
                "count_only": {"type": "boolean"},
            },
        },
        "MatchResult": {
            "type": "object",
            "properties": {
                "query_id": {"type": "string"},
                "state": {"enum": ["done"]},
                "key_count": {"type": "integer"},
                "count_only": {"type": "boolean"},
                "results": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "agency": {"type": "string"},
                            "dataset": {"type": "string"},
                            "status": {"enum": ["ok", "refused", "unavailable", "timeout"]},
                            "reason": {"type": "string"},
                            "filter_version": {"type": "integer"},
                            "match_count": {"type": "integer"},
                            "hits": {"type": "array", "items": hit},
                        },
                    },
                },
            },
        },
        "WatchRequest": {
            "type": "object",
            "required": ["case_id", "purpose", "legal_basis", "identities"],
            "properties": {
                **_JUSTIFICATION,
                "identities": _IDENTITIES,
                "partners": names,
                "until": {"type": "string", "format": "date-time"},
            },
        },
        "Watch": {"type": "object", "properties": {"watch_id": {"type": "string"}}},
        "Watches": {
            "type": "object",
            "properties": {
                "watches": {"type": "array", "items": {"$ref": "#/components/schemas/Watch"}}
            },
        },
        "Notices": {"type": "object", "properties": {"notices": {"type": "array"}}},
        "FollowupRequest": {
            "type": "object",
            "required": ["query_id", "partner", "row", "message"],
            "properties": {
                "query_id": {"type": "string"},
                "partner": {"type": "string"},
                "dataset": {"type": "string"},
                "row": {"type": "integer", "minimum": 0},
                "message": {"type": "string"},
                "deadline": {"type": "string", "description": "30m, 48h or 3d (default 48h)"},
            },
        },
        "FollowupAnswer": {
            "type": "object",
            "required": ["decision"],
            "properties": {
                "decision": {"enum": ["approve", "refuse"]},
                "fields": names,
                "handling": {"enum": ["H0", "H1", "H2", "H3"]},
                "note": {"type": "string"},
                "reason": {"type": "string"},
            },
        },
        "Followup": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "state": {"enum": ["queued", "approved", "refused", "rejected", "undelivered"]},
                "deadline": {"type": "string", "format": "date-time"},
                "overdue": {"type": "boolean"},
                "released": {"type": "array"},
                "matched_records": {"type": "array"},
            },
        },
        "Followups": {
            "type": "object",
            "properties": {
                "followups": {"type": "array", "items": {"$ref": "#/components/schemas/Followup"}}
            },
        },
        "Datasets": {"type": "object", "properties": {"datasets": {"type": "array"}}},
    }
