"""What every bench action is: its page (`prepare`, untimed), its timed step
(`run`) and the check of its answer; and `_delta`, one substate's merged delta."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.seed import BenchClient
from bench.tab import Tab


def _delta(updates: list[dict], substate: str) -> dict:
    merged: dict[str, Any] = {}
    for update in updates:
        merged.update(update.get("delta", {}).get(substate, {}))
    return merged


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    target: str  # "echo" or "portal"
    portal: bool = True  # one of the portal's real actions (not a floor)

    async def prepare(self, tab: Tab, client: BenchClient) -> None:
        """Put the tab on the page the action is taken from (not timed)."""

    async def run(self, tab: Tab, client: BenchClient, seq: int) -> list[dict]:
        raise NotImplementedError

    def check(self, updates: list[dict], client: BenchClient) -> str | None:
        """During the warm-up: what is wrong with the answer, or None."""
        return None


def rotating(actions, shift: int):
    """The same actions in another order each repeat, so drift hits all alike."""
    actions = list(actions)
    shift %= len(actions)
    return actions[shift:] + actions[:shift]
