"""Where documents and course media are kept: the settings read from the environment.

`PORTAL_STORAGE=local` (the default) keeps files under `PORTAL_DATA_DIR/files`;
`PORTAL_STORAGE=s3` keeps them in a bucket of any S3-compatible service (AWS S3,
Backblaze B2, Cloudflare R2, Wasabi, MinIO). Credentials are not read here: boto3
takes them from its standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
AWS_SESSION_TOKEN, a profile, or the machine's instance role)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STORAGE_BACKENDS = ("local", "s3")
SSE_MODES = ("", "AES256", "aws:kms")
ADDRESSING_STYLES = ("auto", "path", "virtual")
# Written in PORTAL_DATA_DIR by `portal storage migrate --to s3` once every file is in
# the bucket and verified: with PORTAL_STORAGE unset, this data directory then means s3.
SWITCHED_MARKER = "storage-switched-to-s3.json"


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
    switched_by: str = ""  # the marker file that chose s3 (PORTAL_STORAGE unset)

    @classmethod
    def from_env(cls, data_dir: Path | None = None) -> StorageSettings:
        """From the environment; with PORTAL_STORAGE unset, s3 when `portal storage
        migrate` left its marker in `data_dir`, else local."""
        backend = _env("PORTAL_STORAGE").lower()
        marker = Path(data_dir) / SWITCHED_MARKER if data_dir is not None else None
        switched_by = ""
        if not backend and marker is not None and marker.is_file():
            backend, switched_by = "s3", str(marker)
        prefix = _env("PORTAL_S3_PREFIX", "portal/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return cls(
            backend=backend or "local",
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
            switched_by=switched_by,
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
            why = f" (chosen by {self.switched_by}, left by `portal storage migrate`)" \
                if self.switched_by else ""
            out.append(f"PORTAL_STORAGE=s3{why} needs PORTAL_S3_BUCKET")
        if self.presign and self.backend != "s3":
            out.append("PORTAL_STORAGE_PRESIGN=1 needs PORTAL_STORAGE=s3")
        return out


def _whole(name: str, default: int) -> int:
    raw = _env(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        return -1  # reported by problems() as out of range
