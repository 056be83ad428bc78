# SPDX-License-Identifier: MIT
"""Replies, and the shapes of the API's error answers."""

import json
from http import HTTPStatus


class Reply:
    """What to do with one request: send status + body, or, when status is
    None, send nothing and close the connection after hold seconds."""

    def __init__(self, status, body=b"", content_type="application/json; "
                 "charset=utf-8", headers=(), hold=0.0, fault=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers)  # extra (name, value) pairs
        self.hold = hold
        self.fault = fault  # label of the injected fault, or None


def json_reply(status, value, headers=()):
    """A compact JSON reply, as the API sends (a void call answers null)."""
    body = json.dumps(value, separators=(",", ":")).encode()
    return Reply(status, body, headers=headers)


class ApiError(Exception):
    """An error answer: HTTP status and the JSON body OVHcloud sends."""

    def __init__(self, status, body, headers=()):
        super().__init__(body.get("message"))
        self.status = status
        self.body = body
        self.headers = headers

    def reply(self):
        return json_reply(self.status, self.body, self.headers)


def auth_error(status, code, message):
    """An error of the authentication layer: errorCode, httpCode, message."""
    http_code = "%d %s" % (status, HTTPStatus(status).phrase)
    return ApiError(status, {"errorCode": code, "httpCode": http_code,
                             "message": message})


def class_error(status, cls, message, details=None, headers=()):
    """An error of the newer shape: class, message and optional details."""
    body = {"class": cls, "message": message}
    if details is not None:
        body["details"] = details
    return ApiError(status, body, headers)


def bad_request(message):
    """The API's answer to a malformed or invalid parameter."""
    return class_error(400, "Client::BadRequest", message)


def not_found(message):
    return class_error(404, "Client::NotFound", message)


def invalid_url():
    """What the API answers for a path or method it does not serve."""
    return not_found("Got an invalid (or empty) URL")


def internal_error():
    return class_error(500, "Server::InternalServerError",
                       "Internal server error")


def parse_json_body(body):
    """Decode a JSON request body; a body that is not JSON is a 400."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("Invalid JSON in body") from None


def type_error(name, value, type_name):
    """A parameter of the wrong type (or outside its enumeration)."""
    return bad_request("[%s] Given data (%s) is not valid for type %s"
                       % (name, json.dumps(value), type_name))
