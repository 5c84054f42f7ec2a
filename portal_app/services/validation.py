"""Small input checks shared by services; each raises with a field name."""

from __future__ import annotations

import re

from portal_app.services.errors import ServiceError

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1000


def normalize_email(raw: object, *, field: str = "email") -> str:
    email = str(raw or "").strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise ServiceError("Enter a valid email address.", field=field)
    return email


def check_new_password(raw: object, *, field: str = "password") -> str:
    password = str(raw or "")
    if len(password) < MIN_PASSWORD:
        raise ServiceError(
            f"Use at least {MIN_PASSWORD} characters for your password.", field=field
        )
    if len(password) > MAX_PASSWORD:
        raise ServiceError(f"Use at most {MAX_PASSWORD} characters.", field=field)
    return password


def clean_code(raw: object, *, field: str = "code") -> str:
    code = re.sub(r"\s+", "", str(raw or ""))
    if not re.fullmatch(r"\d{6}", code):
        raise ServiceError("Enter the 6-digit code.", field=field)
    return code


def clean_name(raw: object, *, field: str = "full_name") -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise ServiceError("Enter your full name.", field=field)
    if len(name) > 200:
        raise ServiceError("Use at most 200 characters.", field=field)
    return name
