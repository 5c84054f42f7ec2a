"""`portal storage gc`: the referenced names (one query per table), the grace period,
the dry run, on disk and in a bucket (moto's S3 server); and the upload paths leave no
row without its file and no file without its row when a commit fails."""

import os
import time

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from models import Course, CourseMedia, Document
from models.base import utcnow
from portal_app import db as db_module
from portal_app.cli import app
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.documents import IncomingFile, delete_document, share_documents
from portal_app.services.storage_admin.gc import collect_garbage
from portal_app.services.storage_admin.references import referenced_names
from portal_app.settings import reset_settings_cache
from tests import factories
from tests.sql import statements_of

DAY = 24 * 3600
LIMITS = {"max_file_bytes": 1024 * 1024, "max_request_bytes": 2 * 1024 * 1024}


def _doc(session, client_id, stored_name, *, deleted=False):
    doc = Document(client_id=client_id, title="t", filename="t.txt", stored_name=stored_name,
                   content_type="text/plain", deleted_at=utcnow() if deleted else None)
    session.add(doc)
    session.flush()
    return doc


def _rows(session, storage):
    """A live document, a deleted one, a course's media and an orphan: their names."""
    client = factories.client(session)
    course = Course(title="C")
    session.add(course)
    session.flush()
    names = {key: storage.save(key.encode()) for key in ("live", "deleted", "media", "orphan")}
    _doc(session, client.id, names["live"])
    _doc(session, client.id, names["deleted"], deleted=True)
    session.add(CourseMedia(course_id=course.id, stored_name=names["media"], filename="v.mp4",
                            content_type="video/mp4"))
    session.commit()
    return names


def _age(storage: LocalFileStorage, name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(storage.root / name, (then, then))


def test_referenced_names_are_the_live_rows_in_one_query_per_table(session, engine, tmp_path):
    names = _rows(session, LocalFileStorage(tmp_path / "files"))
    sent = statements_of(engine, lambda: referenced_names(session))
    assert referenced_names(session) == {names["live"], names["media"]}
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) == 3  # documents, course media, community files


def test_gc_dry_run_then_run_on_disk(session, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string())
    reset_settings_cache()
    db_module.use_engine(engine)
    storage = LocalFileStorage(tmp_path / "data" / "files")
    names = _rows(session, storage)
    young = storage.save(b"an upload in flight: its row is not committed yet")
    for key in ("live", "deleted", "media", "orphan"):
        _age(storage, names[key], 2 * DAY)
    everything = {o.name for o in storage.names()}
    for temp in (".tmp-killed", ".tmp-writing"):  # a killed write's, one being written
        (storage.root / temp).write_bytes(b"part")
    _age(storage, ".tmp-killed", 2 * DAY)

    dry = CliRunner().invoke(app, ["storage", "gc", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would delete 2 files (13 bytes); nothing was deleted" in dry.output
    assert names["orphan"] in dry.output and names["deleted"] in dry.output
    assert "Would remove 1 leftovers of interrupted writes" in dry.output
    assert {o.name for o in storage.names()} == everything
    assert (storage.root / ".tmp-killed").exists()

    done = CliRunner().invoke(app, ["storage", "gc"])
    assert done.exit_code == 0, done.output
    assert "Deleted 2 files (13 bytes)." in done.output
    assert "1 unreferenced but newer, kept" in done.output
    assert {o.name for o in storage.names()} == {names["live"], names["media"], young}
    assert "Removed 1 leftovers" in done.output
    assert sorted(p.name for p in storage.root.glob(".tmp-*")) == [".tmp-writing"]

    # A shorter grace period takes the young one too; nothing referenced ever goes.
    report = collect_garbage(session, storage, grace_hours=0, dry_run=False,
                             now=time.time() + 1)
    assert (report.deleted, report.deleted_bytes) == (1, len(b"an upload in flight: its row "
                                                              b"is not committed yet"))
    assert {o.name for o in storage.names()} == {names["live"], names["media"]}
    reset_settings_cache()


def test_gc_in_a_bucket(session, s3_storage):
    names = _rows(session, s3_storage)
    client, bucket = s3_storage.client, s3_storage.bucket
    now = time.time()

    kept = collect_garbage(session, s3_storage, grace_hours=24, dry_run=False, now=now)
    assert (kept.stored, kept.young, kept.deleted) == (4, 2, 0)
    # A killed multipart upload (moto dates every upload 2010, so only its removal is
    # shown here; the grace period applies to it as to files).
    client.create_multipart_upload(Bucket=bucket, Key=f"files/{'a' * 32}")

    report = collect_garbage(session, s3_storage, grace_hours=24, dry_run=False,
                             now=now + 2 * DAY)
    assert sorted(o.name for o in report.unreferenced) == sorted(
        [names["deleted"], names["orphan"]])
    assert (report.deleted, report.leftovers) == (2, 1)
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert sorted(o.name for o in s3_storage.names()) == sorted([names["live"], names["media"]])


# --- no row without its file, no file without its row -------------------------------------


def _world(session):
    factories.business(session)
    client = factories.client(session)
    staff = factories.staff(session)
    session.commit()
    return client, staff


def _fail_at_commit(session):
    """A real failure at COMMIT: a foreign key SQLite checks only then."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    session.execute(text("INSERT INTO notification (client_id, kind, title, link, created_at) "
                         "VALUES (999999, 'document', 'x', '/', CURRENT_TIMESTAMP)"))


def _bucket(storage) -> list[str]:
    return [o.name for o in storage.names()]


def test_a_share_whose_commit_fails_leaves_no_row_and_no_object(session, s3_storage):
    client, staff = _world(session)
    docs = share_documents(session, staff_id=staff.id, client_id=client.id,
                           files=[IncomingFile("a.txt", b"a"), IncomingFile("b.txt", b"b")],
                           storage=s3_storage, base_url="http://portal.test", **LIMITS)
    assert sorted(_bucket(s3_storage)) == sorted(d.stored_name for d in docs)
    _fail_at_commit(session)

    with pytest.raises(Exception, match="FOREIGN KEY"):
        session.commit()
    session.rollback()

    assert session.exec(select(Document)).all() == []
    assert _bucket(s3_storage) == []


def test_a_deletion_whose_commit_fails_keeps_the_file_of_the_live_row(session, s3_storage):
    client, staff = _world(session)
    (doc,) = share_documents(session, staff_id=staff.id, client_id=client.id,
                             files=[IncomingFile("a.txt", b"a")], storage=s3_storage,
                             base_url="http://portal.test", **LIMITS)
    session.commit()

    delete_document(session, staff_id=staff.id, document_id=doc.id, storage=s3_storage)
    _fail_at_commit(session)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        session.commit()
    session.rollback()
    assert session.get(Document, doc.id).deleted_at is None
    assert s3_storage.read(doc.stored_name) == b"a"

    delete_document(session, staff_id=staff.id, document_id=doc.id, storage=s3_storage)
    session.commit()
    assert _bucket(s3_storage) == []


def test_the_daily_job_runs_gc_under_its_lock(session, engine, tmp_path, monkeypatch):
    from portal_app import jobs

    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string())
    reset_settings_cache()
    db_module.use_engine(engine)
    storage = LocalFileStorage(tmp_path / "data" / "files")
    names = _rows(session, storage)
    for key in ("live", "orphan"):
        _age(storage, names[key], 2 * DAY)
    try:
        with jobs.job_lock(engine, jobs.STORAGE_GC_JOB) as held:
            assert held
            assert jobs.storage_gc_once() is None  # another worker is at it
        assert names["orphan"] in {o.name for o in storage.names()}

        report = jobs.storage_gc_once()
        assert report.deleted == 1
        assert {o.name for o in storage.names()} == {names["live"], names["media"],
                                                      names["deleted"]}  # the last two: young
    finally:
        reset_settings_cache()
