"""Where documents and course media are kept: the settings read from the environment.

`PORTAL_STORAGE=local` (the default) keeps files under `PORTAL_DATA_DIR/files`;
`PORTAL_STORAGE=s3` keeps them in a bucket of any S3-compatible service (AWS S3,
Backblaze B2, Cloudflare R2, Wasabi, MinIO). Credentials are not read here: boto3
takes them from its standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
AWS_SESSION_TOKEN, a profile, or the machine's instance role)."""

from __future__ import annotations

import os
from dataclasses import dataclass

STORAGE_BACKENDS = ("local", "s3")
SSE_MODES = ("", "AES256", "aws:kms")
ADDRESSING_STYLES = ("auto", "path", "virtual")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class StorageSettings:
    backend: str = "local"
    bucket: str = ""
    prefix: str = "portal/"
    region: str = ""
    endpoint_url: str = ""
    addressing_style: str = "auto"
    sse: str = ""  # server-side encryption: "", "AES256" or "aws:kms"
    kms_key_id: str = ""
    presign: bool = False  # downloads by short-lived presigned URLs (after the same checks)
    presign_seconds: int = 60
    multipart_mb: int = 8  # uploads above this go in parts of this size

    @classmethod
    def from_env(cls) -> StorageSettings:
        prefix = _env("PORTAL_S3_PREFIX", "portal/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return cls(
            backend=_env("PORTAL_STORAGE", "local").lower() or "local",
            bucket=_env("PORTAL_S3_BUCKET"),
            prefix=prefix.lstrip("/"),
            region=_env("PORTAL_S3_REGION") or _env("AWS_REGION") or _env("AWS_DEFAULT_REGION"),
            endpoint_url=_env("PORTAL_S3_ENDPOINT_URL"),
            addressing_style=_env("PORTAL_S3_ADDRESSING_STYLE", "auto").lower() or "auto",
            sse=_env("PORTAL_S3_SSE"),
            kms_key_id=_env("PORTAL_S3_KMS_KEY_ID"),
            presign=_env("PORTAL_STORAGE_PRESIGN") == "1",
            presign_seconds=_whole("PORTAL_STORAGE_PRESIGN_SECONDS", 60),
            multipart_mb=_whole("PORTAL_S3_MULTIPART_MB", 8),
        )

    def problems(self) -> list[str]:
        """What stops the portal from starting with these settings (empty when fine)."""
        out: list[str] = []
        if self.backend not in STORAGE_BACKENDS:
            out.append(f"PORTAL_STORAGE must be one of {', '.join(STORAGE_BACKENDS)}")
            return out
        if self.sse not in SSE_MODES:
            out.append("PORTAL_S3_SSE must be empty, AES256 or aws:kms")
        if self.kms_key_id and self.sse != "aws:kms":
            out.append("PORTAL_S3_KMS_KEY_ID needs PORTAL_S3_SSE=aws:kms")
        if self.addressing_style not in ADDRESSING_STYLES:
            out.append(f"PORTAL_S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}")
        if not 1 <= self.presign_seconds <= 3600:
            out.append("PORTAL_STORAGE_PRESIGN_SECONDS must be between 1 and 3600")
        if self.multipart_mb < 5:
            out.append("PORTAL_S3_MULTIPART_MB must be at least 5 (S3's smallest part)")
        if self.backend == "s3" and not self.bucket:
            out.append("PORTAL_STORAGE=s3 needs PORTAL_S3_BUCKET")
        if self.presign and self.backend != "s3":
            out.append("PORTAL_STORAGE_PRESIGN=1 needs PORTAL_STORAGE=s3")
        return out


def _whole(name: str, default: int) -> int:
    raw = _env(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        return -1  # reported by problems() as out of range
