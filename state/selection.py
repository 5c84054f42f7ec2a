"""Ticked rows of a list page (display only: every action checks the ids it gets)."""

from __future__ import annotations


def toggled(selected: list[str], key: object, checked: bool) -> list[str]:
    """`selected` with `key` ticked or unticked (each key once, in the order ticked)."""
    key = str(key)
    chosen = [k for k in selected if k != key]
    if checked:
        chosen.append(key)
    return chosen
