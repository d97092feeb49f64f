"""The API's one error shape, `{"error": "...", "details": [...]}`, and where each error comes from.

Every failure an endpoint can meet is turned into that shape here, so apps raise ordinary
exceptions (Http404, PermissionDenied, ninja's HttpError and ValidationError) and never build
error bodies themselves. `document_errors` writes the same shape into the OpenAPI schema for
every operation, which is what lets schemathesis hold the API to its own schema: Ninja on its
own leaves 401, 403, 404 and 422 out.
"""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ErrorDetailOut(Schema):
    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    error: str
    details: list[ErrorDetailOut] | None = None


# Status codes every operation may answer with, and when (see document_errors).
ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No session and no valid API token.",
    403: "Signed in, but not allowed to do this (or a browser request without its CSRF token).",
    404: "No such object, or not one you may see.",
    422: "A parameter or a field is not valid; `details` says which.",
}


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(AuthenticationError, partial(_unauthorized, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(PermissionDenied, partial(_forbidden, api=api))
    api.add_exception_handler(ValidationError, partial(_invalid, api=api))


def error_response(api: NinjaAPI, request: HttpRequest, status: int, message: str, details=None) -> HttpResponse:
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


def _unauthorized(request, exc, *, api: NinjaAPI) -> HttpResponse:
    response = error_response(api, request, 401, _("Sign in, or send an API token as 'Authorization: Bearer <token>'."))
    response["WWW-Authenticate"] = "Bearer"
    return response


def _http_error(request, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, exc.status_code, str(exc))


def _not_found(request, exc, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, 404, _("Not found."))


def _forbidden(request, exc, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, 403, _("You are not allowed to do this."))


def _invalid(request, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    # Only the location and message: pydantic's other keys (input, ctx) may echo what was sent.
    details: list[dict[str, Any]] = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))} for error in exc.errors
    ]
    summary = "; ".join(
        f"{'.'.join(d['loc'][1:]) or d['loc'][0]}: {d['msg']}" if d["loc"] else d["msg"] for d in details[:5]
    )
    return error_response(api, request, 422, summary or _("The request is not valid."), details)


def document_errors(schema: dict) -> dict:
    """Add the error responses an operation can give to each operation of an OpenAPI schema.

    422 wherever there is input, 400 where there is a body, 401 and 403 where auth is required,
    404 where the path names an object. Codes an endpoint documents itself are left alone.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(_component_schemas())
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            codes = set()
            parameters = operation.get("parameters", [])
            if parameters or "requestBody" in operation:
                codes.add(422)
            if "requestBody" in operation:
                codes.add(400)
            if operation.get("security"):
                codes.update({401, 403})
            if any(p.get("in") == "path" for p in parameters):
                codes.add(404)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    str(code),
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                    },
                )
    return schema


def _component_schemas() -> dict:
    full = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = full.pop("$defs", {})
    return {"ErrorOut": full, **definitions}
