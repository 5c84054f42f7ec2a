"""What the `portal` command's modules share."""

from __future__ import annotations

import typer

from portal_app.settings import SettingsError, get_settings


def settings_or_exit():
    """The settings, or the reason they cannot run and exit status 2."""
    try:
        return get_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
