"""`portal storage …`: remove unreferenced files, migrate local files to a bucket."""

from __future__ import annotations

import dataclasses

import typer

from portal_app.cli_common import settings_or_exit

storage_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)



def print_backup_notes(settings) -> None:
    """After `portal backup`: what else to back up in this storage mode."""
    from portal_app.services.storage_admin.backup_notes import backup_notes, bucket_versioning

    versioning = None
    if settings.storage.backend == "s3":
        versioning = bucket_versioning(settings.storage)
    for line in backup_notes(settings, versioning=versioning):
        typer.echo(line)


@storage_app.command("gc")
def gc_cmd(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be deleted"),
    older_than_hours: float = typer.Option(
        24.0, "--older-than-hours", min=0,
        help="Keep unreferenced files newer than this (uploads in flight)"),
) -> None:
    """Delete stored files that no database row refers to (documents, course media)."""
    from sqlalchemy.exc import SQLAlchemyError

    from portal_app.db import session_scope
    from portal_app.providers.storage import get_storage
    from portal_app.services.storage_admin.gc import collect_garbage, describe

    settings = settings_or_exit()
    storage = get_storage(settings)
    where = (f"s3://{settings.storage.bucket}/{settings.storage.prefix}"
             if settings.storage.backend == "s3" else str(settings.data_dir / "files"))
    typer.echo(f"Storage: {where}")
    try:
        with session_scope() as session:
            report = collect_garbage(session, storage, grace_hours=older_than_hours,
                                     dry_run=dry_run)
    except SQLAlchemyError as exc:
        typer.echo(f"Cannot read the database ({exc.__class__.__name__}: "
                   f"{str(exc).splitlines()[0]}); nothing was deleted.", err=True)
        raise typer.Exit(1) from exc
    for line in describe(report, grace_hours=older_than_hours):
        typer.echo(line)
    if report.failed:
        raise typer.Exit(1)


@storage_app.command("migrate")
def migrate_cmd(
    to: str = typer.Option(..., "--to", help="Where to move the files: s3"),
    workers: int = typer.Option(4, "--workers", min=1, max=32, help="Files copied at once"),
) -> None:
    """Copy every local file to the S3 bucket (PORTAL_S3_*), verify each, then switch
    this data directory to s3. Safe to run again after a crash: it resumes."""
    from portal_app.providers.s3_storage import S3FileStorage
    from portal_app.providers.storage import local_storage
    from portal_app.services.storage_admin.migrate import MigrationRefused, migrate_to_s3

    if to != "s3":
        typer.echo("--to takes s3 only (the files are moved from this machine's disk)",
                   err=True)
        raise typer.Exit(2)
    settings = settings_or_exit()
    config = dataclasses.replace(settings.storage, backend="s3")
    problems = config.problems()
    if problems:
        for problem in problems:
            typer.echo(problem.replace("PORTAL_STORAGE=s3 needs", "migrating needs"), err=True)
        typer.echo("Nothing was copied or switched.", err=True)
        raise typer.Exit(2)
    source = local_storage(settings)
    target = S3FileStorage(config)
    typer.echo(f"From {source.root} to s3://{config.bucket}/{config.prefix}")
    try:
        report = migrate_to_s3(source, target, data_dir=settings.data_dir, workers=workers,
                               echo=typer.echo)
    except MigrationRefused as exc:
        typer.echo(str(exc), err=True)
        typer.echo("Not switched: the portal keeps using the local files.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"All {report.files} files are in the bucket and verified (SHA-256): "
               f"{report.copied} copied now, {report.skipped} by an earlier run.")
    typer.echo(f"Switched: {report.marker} makes this data directory use s3 when "
               "PORTAL_STORAGE is unset.")
    typer.echo("Set PORTAL_STORAGE=s3 and the same PORTAL_S3_* variables on every node, "
               "then restart the portal.")
    typer.echo(f"The local files are kept. Once the portal runs on s3, remove them with: "
               f"rm -r {source.root}")
