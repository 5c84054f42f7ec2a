"""Benchmark: a 20 MB file up and down through each storage, side by side.

    python -m bench.storage_transfer [--mb 20]

For the disk storage (`PORTAL_STORAGE=local`) and for S3 (`PORTAL_STORAGE=s3`, on
moto's S3 server on this machine, spoken to by the unchanged boto3), streamed by the
portal and, third, presigned (`PORTAL_STORAGE_PRESIGN=1`: the portal answers 303 and
the file comes from the bucket):

- **upload**: `attach_media` (what the lesson editor's upload handler calls) copies a
  20 MB video from an open file with `storage.save_stream`: seconds and MB/s (median
  of 3), and the peak of Python memory during one more upload (tracemalloc);
- **download**: the course media route (`/api/console/courses/media/{id}`, the same
  route code the portal mounts, served by granian as `reflex run` serves it) over
  HTTP to a streaming client: seconds and MB/s (median of 3; for presign, the 303
  plus the GET from the bucket), and how much the server's peak RSS (VmHWM, over its
  processes) grew during the downloads: far below 20 MB means nothing was held whole.

Moto keeps objects in its own process's memory, so the S3 figures are this machine's
loopback HTTP + boto3 + moto, not a real bucket's network. Seeds a throwaway SQLite
database through the models. `make bench` runs it at its end (bench/run.py); alone,
it writes bench/results/storage_transfer.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-"))

from bench.servers import SECRET, free_port, process_tree  # noqa: E402
from portal_app.services.sessions import COOKIE_NAME  # noqa: E402

MB = 1024 * 1024
REPEATS = 3
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
CONFIGS = (("local", "disk (local)"), ("s3", "S3 (moto), streamed by the portal"),
           ("presign", "S3 (moto), presigned redirect"))


def _source(folder: Path, mb: int) -> tuple[Path, str]:
    """A `mb` MB file that sniffs as MP4, and its SHA-256."""
    path = folder / "lesson.mp4"
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for i in range(mb):
            piece = (MP4_HEAD if i == 0 else b"") + os.urandom(MB - (len(MP4_HEAD) if i == 0
                                                                     else 0))
            digest.update(piece)
            fh.write(piece)
    return path, digest.hexdigest()


def _seed(database_url: str):
    """A staff member with a session, and a video lesson; returns (engine, token, lesson id)."""
    from sqlmodel import Session, SQLModel

    import models  # noqa: F401
    from models import Business, LessonKind, StaffUser
    from portal_app.db import make_engine
    from portal_app.services.courses import authoring as A
    from portal_app.services.sessions import create_ticket, redeem_ticket
    from portal_app.timeouts import session_timeouts

    engine = make_engine(database_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Business(name="Bench"))
        staff = StaffUser(email="bench-staff@example.test", full_name="Bench Staff",
                          role="staff", password_hash="!unusable")  # noqa: S106
        s.add(staff)
        s.flush()
        course = A.create_course(s, title="Bench course")
        module = A.add_module(s, course_id=course.id, title="Module")
        lesson = A.add_lesson(s, module_id=module.id, title="Lesson", kind=LessonKind.VIDEO)
        ticket = create_ticket(s, kind="staff", staff_id=staff.id)
        token, _ = redeem_ticket(s, raw_ticket=ticket, timeouts=session_timeouts())
        s.commit()
        return engine, token, lesson.id, staff.id


def _upload(engine, storage, *, lesson_id: int, staff_id: int, source: Path) -> int:
    """One upload as the lesson editor does it; returns the new media's id."""
    from sqlmodel import Session

    from portal_app.services.courses.media import attach_media

    with Session(engine) as s, source.open("rb") as fh:
        media, orphan = attach_media(s, staff_id=staff_id, lesson_id=lesson_id,
                                     filename="lesson.mp4", fileobj=fh, storage=storage,
                                     max_bytes=500 * MB)
        s.commit()
        media_id = media.id
    if orphan:
        storage.delete(orphan)
    return media_id


def _uploads(engine, storage, *, lesson_id: int, staff_id: int, source: Path, mb: int) -> dict:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        media_id = _upload(engine, storage, lesson_id=lesson_id, staff_id=staff_id, source=source)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    media_id = _upload(engine, storage, lesson_id=lesson_id, staff_id=staff_id, source=source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    seconds = statistics.median(times)
    return {"media_id": media_id, "upload_s": round(seconds, 3),
            "upload_mb_s": round(mb / seconds, 1), "upload_peak_mb": round(peak / MB, 1)}


def _hwm(pid: int) -> int:
    """The peak resident memory (VmHWM) over the process and its children, in bytes."""
    peak = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) * 1024)
        except OSError:
            pass
    return peak


def _start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    args = [str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--host",
            "127.0.0.1", "--port", str(port), "--workers", "1", "--no-ws",
            "--log-level", "warning", "bench.storage_app:app"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log.open("w"),  # noqa: S603,SIM115
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"granian exited: {log.read_text()[-2000:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/console/courses/media/0", timeout=1)
            return proc, port
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"granian did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


def _download(client: httpx.Client, url: str, token: str, *, digest=None,
              range_: str | None = None) -> int:
    """One download, following our 303 without the cookie; returns the bytes received."""
    headers = {"Cookie": f"{COOKIE_NAME}={token}"}
    if range_:
        headers["Range"] = range_
    answer = client.get(url, headers=headers)
    if answer.status_code == 303:
        url, headers = answer.headers["location"], ({"Range": range_} if range_ else {})
    elif answer.status_code not in (200, 206):
        raise RuntimeError(f"download answered {answer.status_code}: {answer.text[:200]}")
    received = 0
    with client.stream("GET", url, headers=headers) as body:
        if body.status_code not in (200, 206):
            raise RuntimeError(f"download answered {body.status_code}")
        for chunk in body.iter_raw():
            received += len(chunk)
            if digest is not None:
                digest.update(chunk)
    return received


def _downloads(env: dict[str, str], *, work: Path, token: str, media_id: int, mb: int,
               sha256: str) -> dict:
    proc, port = _start_server(env, work / "granian.log")
    try:
        url = f"http://127.0.0.1:{port}/api/console/courses/media/{media_id}"
        with httpx.Client(timeout=120) as client:
            _download(client, url, token, range_="bytes=0-65535")  # warm: imports, clients
            before = _hwm(proc.pid)
            digest = hashlib.sha256()
            if _download(client, url, token, digest=digest) != mb * MB:
                raise RuntimeError("the download is not the file's size")
            if digest.hexdigest() != sha256:
                raise RuntimeError("the downloaded bytes are not the uploaded ones")
            times = []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                _download(client, url, token)
                times.append(time.perf_counter() - t0)
            extra = _hwm(proc.pid) - before
    finally:
        _stop(proc)
    seconds = statistics.median(times)
    return {"download_s": round(seconds, 3), "download_mb_s": round(mb / seconds, 1),
            "server_peak_extra_mb": round(max(extra, 0) / MB, 1)}


def _base_env(work: Path, database_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PORTAL_", "AWS_", "REDIS_URL", "DATABASE_URL", "GRANIAN_"))}
    return {**env, "PORTAL_ENV": "dev", "PORTAL_DATA_DIR": str(work / "data"),
            "DATABASE_URL": database_url, "PORTAL_SECRET_KEY": SECRET,
            "PORTAL_EMAIL_BACKEND": "outbox", "PORTAL_SMS_BACKEND": "none",
            "PYTHONPATH": str(ROOT)}


def _one(key: str, *, work: Path, source: Path, sha256: str, mb: int, s3) -> dict:
    from portal_app.providers.s3_storage import S3FileStorage
    from portal_app.providers.storage import LocalFileStorage
    from portal_app.storage_settings import StorageSettings

    work.mkdir(parents=True)
    database_url = f"sqlite:///{work / 'portal.db'}"
    env = _base_env(work, database_url)
    if key == "local":
        storage = LocalFileStorage(work / "data" / "files")
    else:
        bucket = s3.new_bucket("portal-bench")
        env.update(s3.env(bucket, **({"PORTAL_STORAGE_PRESIGN": "1"} if key == "presign"
                                     else {})))
        config = StorageSettings(backend="s3", bucket=bucket, endpoint_url=s3.endpoint_url,
                                 region="us-east-1", addressing_style="path")
        storage = S3FileStorage(config, client=s3.client())
    engine, token, lesson_id, staff_id = _seed(database_url)
    try:
        up = _uploads(engine, storage, lesson_id=lesson_id, staff_id=staff_id, source=source,
                      mb=mb)
    finally:
        engine.dispose()
    down = _downloads(env, work=work, token=token, media_id=up.pop("media_id"), mb=mb,
                      sha256=sha256)
    return {**up, **down}


def measure(mb: int = 20) -> dict:
    """Upload and download of an `mb` MB file through each storage (see the module's text)."""
    work = Path(tempfile.mkdtemp(prefix="portal-bench-storage-"))
    source, sha256 = _source(work, mb)
    rows, s3, skipped = [], None, ""
    try:
        try:
            import moto.server  # noqa: F401

            from tests.s3_server import S3Server

            s3 = S3Server.start()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - pytest's skip is a BaseException
            skipped = f"S3 not measured: moto's server unavailable ({exc})"[:300]
        for key, label in CONFIGS:
            if key != "local" and s3 is None:
                continue
            figures = _one(key, work=work / key, source=source, sha256=sha256, mb=mb, s3=s3)
            rows.append({"key": key, "label": label, **figures})
    finally:
        if s3 is not None:
            s3.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {"mb": mb, "rows": rows, "skipped": skipped}


def markdown(result: dict) -> list[str]:
    """The lines of the bench report (bench/report.py) for these measurements."""
    mb = result["mb"]
    out = ["", f"## Storage transfer: a {mb} MB file (bench/storage_transfer.py)", "",
           "Upload: `attach_media` → `storage.save_stream` from an open file (peak Python "
           "memory by tracemalloc). Download: the course media route over HTTP, served by "
           "granian, to a streaming client (peak extra RSS of the server while it served "
           f"the {mb} MB file {REPEATS + 1} times). Medians of {REPEATS}.", "",
           "| storage | upload s | upload MB/s | upload peak MB | download s | "
           "download MB/s | server peak extra MB |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        out.append(f"| {r['label']} | {r['upload_s']} | {r['upload_mb_s']} | "
                   f"{r['upload_peak_mb']} | {r['download_s']} | {r['download_mb_s']} | "
                   f"{r['server_peak_extra_mb']} |")
    if result.get("skipped"):
        out += ["", result["skipped"] + "."]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=20)
    args = parser.parse_args(argv)
    result = measure(args.mb)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "storage_transfer.json").write_text(json.dumps(result, indent=2))
    print("\n".join(markdown(result)))
    print(f"\n(JSON in {out / 'storage_transfer.json'})")


if __name__ == "__main__":
    main()
