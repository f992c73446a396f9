"""The OpenAPI 3.1 description of the API, kept by hand and checked against real answers by
tests/api/test_openapi.py (the document validates, and every kind of answer matches it)."""

from __future__ import annotations

ERROR_CODES = ["empty", "malformed", "checksum", "not_found", "rate_limited", "unauthorized"]

_NULLABLE_STRING = {"type": ["string", "null"]}
_CODE_LABEL = {
    "type": "object",
    "required": ["code", "label"],
    "properties": {"code": {"type": "string"}, "label": {"type": "string"}},
    "additionalProperties": False,
}
_STATUS = {
    "type": "object",
    "required": ["code", "label", "explanation"],
    "properties": {
        "code": {
            "type": "string",
            "enum": [
                "registered",
                "assigned",
                "in_progress",
                "awaiting_applicant",
                "answered",
                "forwarded",
                "left_without_consideration",
            ],
        },
        "label": {"type": "string"},
        "explanation": {"type": "string"},
    },
    "additionalProperties": False,
}

_LETTER_STATUS = {
    **_STATUS,
    "required": [*_STATUS["required"], "next_steps"],
    "properties": {
        **_STATUS["properties"],
        "next_steps": {"type": "string", "description": "What happens next, and what the applicant may do."},
    },
}
_NULLABLE_CODE_LABEL = {"oneOf": [_CODE_LABEL, {"type": "null"}]}
_ENDING = {
    "oneOf": [
        {
            "type": "object",
            "description": "How a closed letter ended; null while it is open. Unknown parts are null.",
            "required": ["closed_on", "answer_channel", "outgoing_number", "competent_body", "ground"],
            "properties": {
                "closed_on": {"type": ["string", "null"], "format": "date"},
                "answer_channel": {
                    **_NULLABLE_CODE_LABEL,
                    "description": "Answered: post, email, in_person or e_gov.",
                },
                "outgoing_number": {**_NULLABLE_STRING, "description": "Answered: the answer's outgoing number."},
                "competent_body": {**_NULLABLE_STRING, "description": "Forwarded: the body that has it now."},
                "ground": {
                    **_NULLABLE_CODE_LABEL,
                    "description": "Left without consideration: the public ground (art. 8).",
                },
            },
            "additionalProperties": False,
        },
        {"type": "null"},
    ]
}

SCHEMAS = {
    "Letter": {
        "type": "object",
        "description": "What the public result page shows. Never the applicant's name, contacts or text.",
        "required": [
            "registration_number",
            "kind",
            "registered_on",
            "department",
            "executor",
            "status",
            "overdue",
            "working_days_overdue",
            "ending",
            "extension_ground",
            "forwarded_to",
            "forwarded_on",
            "due_date",
            "due_date_provisional",
            "term_working_days",
            "original_due_date",
            "last_updated",
            "timeline",
            "language",
        ],
        "properties": {
            "registration_number": {"type": "string", "pattern": r"^\d{4}-\d{6,9}-\d$", "examples": ["2026-000042-6"]},
            "kind": _CODE_LABEL,
            "registered_on": {"type": "string", "format": "date"},
            "department": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["code", "name"],
                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ]
            },
            "executor": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["name", "position", "phone"],
                        "properties": {
                            "name": {"type": "string"},
                            "position": {"type": "string"},
                            "phone": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ]
            },
            "status": _LETTER_STATUS,
            "overdue": {"type": "boolean", "description": "Open and past its due date."},
            "working_days_overdue": {
                "type": ["integer", "null"],
                "description": "How many working days ago the term passed, when overdue.",
            },
            "ending": _ENDING,
            "extension_ground": {
                **_NULLABLE_CODE_LABEL,
                "description": "Why the term was extended (art. 10.2), in public wording.",
            },
            "forwarded_to": {**_NULLABLE_STRING, "description": "The competent body, when forwarded."},
            "forwarded_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "The day the letter was forwarded to the competent body (art. 7.10).",
            },
            "due_date": {"type": ["string", "null"], "format": "date"},
            "due_date_provisional": {
                "type": "boolean",
                "description": "The due date falls in a year whose holidays are not confirmed yet: to be confirmed.",
            },
            "term_working_days": {
                "type": ["integer", "null"],
                "description": "The examination term in working days (art. 10.1): 15, or 30 with additional study.",
            },
            "original_due_date": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Set when the due date was extended.",
            },
            "last_updated": {"type": "string", "format": "date-time"},
            "timeline": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["at", "event", "status", "department", "note"],
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "event": {
                            "type": "object",
                            "description": "What happened: registration, import, status, assignment, "
                            "extension (of the due date), reopening, a due date recomputed or confirmed "
                            "with the holiday calendar; the label is what the public page shows.",
                            "required": ["code", "label"],
                            "properties": {
                                "code": {
                                    "type": "string",
                                    "enum": [
                                        "registration",
                                        "import",
                                        "status",
                                        "assignment",
                                        "extension",
                                        "reopening",
                                        "recomputed",
                                        "confirmed",
                                    ],
                                },
                                "label": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                        "status": _STATUS,
                        "department": _NULLABLE_STRING,
                        "note": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "language": {"type": "string", "enum": ["az", "ru", "en"]},
        },
        "additionalProperties": False,
    },
    "Error": {
        "type": "object",
        "required": ["error", "language"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": [*ERROR_CODES, "method_not_allowed"]},
                    "message": {"type": "string", "description": "For people, in the language asked for."},
                },
                "additionalProperties": False,
            },
            "language": {"type": "string", "enum": ["az", "ru", "en"]},
        },
        "additionalProperties": False,
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "DGK Tracker API",
            "version": "1.0.0",
            "description": (
                "Execution status of letters and requests sent to the State Customs Committee of the "
                "Republic of Azerbaijan, by registration number (for the national e-government portal). "
                "Every call is recorded."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/letters/{number}": {
                "get": {
                    "operationId": "getLetter",
                    "summary": "A letter's department, executor, status and timeline",
                    "parameters": [
                        {
                            "name": "number",
                            "in": "path",
                            "required": True,
                            "description": "The registration number, in any forgiving form (2026-000042-6, "
                            "20260000426, DGK 2026 42 6).",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "lang",
                            "in": "query",
                            "required": False,
                            "description": "Language of labels and messages; otherwise Accept-Language, else az.",
                            "schema": {"type": "string", "enum": ["az", "ru", "en"]},
                        },
                        {
                            "name": "Accept-Language",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The letter.",
                            "headers": {"Content-Language": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Letter"}}},
                        },
                        "400": _error("`empty`, `malformed` (not a registration number) or `checksum` (a typo)."),
                        "401": _error("`unauthorized`: no valid bearer token."),
                        "404": _error("`not_found`: no letter is registered under this number."),
                        "405": _error("`method_not_allowed`: only GET and HEAD."),
                        "429": {
                            **_error("`rate_limited`: too many requests from this client; see Retry-After."),
                            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
