"""Callback requests checked before Dash reads them: a forged or malformed body is HTTP 400.

The page's renderer posts every callback to `/_dash-update-component` as one JSON object:
`output` (the callback's key), `outputs`, `inputs` and `state` (each item `{id, property,
value}`, a list of them for a wildcard `ALL`), `changedPropIds`. Dash trusts that shape and
raises inside the request when it is wrong, which answers 500, as a server fault would.
`callback_problem` checks a body against the app's own callback map (the outputs, inputs and
states each callback declared) and names the first thing wrong in one line; the request is then
answered 400 with that line and never reaches Dash. Values are not judged here: each callback
validates its own (unknown filter values are a notice on the page).

`BadRequestTally` counts the refused requests and logs one line per `every` of them or per
`period` seconds, not one per request: a flood of forged requests is one line a minute.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")
_MULTI = ("ALL", "ALLSMALLER")  # wildcards whose item is a list of components


def callback_problem(body: object, callback_map: Mapping[str, Mapping[str, Any]]) -> str | None:
    """What is wrong with a callback request body, in one line; None when it is well formed."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str):
        return "`output` is missing or not text"
    callback = callback_map.get(output)
    if callback is None or "callback" not in callback:  # unknown, or run in the browser
        return f"unknown output {_short(output)}"
    for key, declared in (("inputs", callback["inputs"]), ("state", callback["state"])):
        problem = _items_problem(key, body.get(key, [] if key == "state" else None), declared)
        if problem:
            return problem
    if not callback.get("no_output"):
        declared_outputs = callback["output"]
        if not isinstance(declared_outputs, (list, tuple)):
            declared_outputs = [declared_outputs]
        declared = [
            {"id": o.component_id_str(), "property": o.component_property} for o in declared_outputs
        ]
        given = body.get("outputs")
        if not output.startswith("..") and (
            not isinstance(given, list) or _is_multi(declared[0]["id"])
        ):  # one output: its item alone (the renderer's form), or in a list of one
            given = [given]
        problem = _items_problem("outputs", given, declared)
        if problem:
            return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(p, str) for p in changed):
        return "`changedPropIds` is not a list of text"
    return None


def _items_problem(key: str, given: object, declared: list[dict[str, str]]) -> str | None:
    if not isinstance(given, list):
        return f"`{key}` is missing or not a list"
    if len(given) != len(declared):
        return f"`{key}` has {len(given)} items; the callback has {len(declared)}"
    for k, (item, spec) in enumerate(zip(given, declared, strict=True)):
        pattern = _pattern(spec["id"])
        if pattern is not None and _is_multi(spec["id"]):
            if not isinstance(item, list):
                return f"`{key}` item {k} is not a list (its id has a wildcard)"
            problem = next((p for p in (_item_problem(i, spec, pattern) for i in item) if p), None)
        else:
            problem = _item_problem(item, spec, pattern)
        if problem:
            return f"`{key}` item {k}: {problem}"
    return None


def _item_problem(item: object, spec: dict[str, str], pattern: dict | None) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    if "id" not in item or "property" not in item:
        return "no `id` or no `property`"
    given_id, prop = item["id"], item["property"]
    if not isinstance(prop, str) or prop.split("@")[0] != spec["property"].split("@")[0]:
        return f"unknown property {_short(prop)}"
    if pattern is None:
        if given_id != spec["id"]:
            return f"unknown id {_short(given_id)}"
        return None
    if not isinstance(given_id, dict) or set(given_id) != set(pattern):
        return f"unknown id {_short(given_id)}"
    for name, wanted in pattern.items():
        value = given_id[name]
        if _wildcard(wanted):
            if not isinstance(value, (str, int, float, bool)):
                return f"unknown id {_short(given_id)}"
        elif value != wanted:
            return f"unknown id {_short(given_id)}"
    return None


def _pattern(component_id: str) -> dict | None:
    """The dict of a pattern-matching id (`{"type": "chip", "value": ["ALL"]}`), else None."""
    if not component_id.startswith("{"):
        return None
    try:
        value = json.loads(component_id)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _wildcard(value: object) -> str:
    if isinstance(value, list) and len(value) == 1 and value[0] in WILDCARDS:
        return value[0]
    return ""


def _is_multi(component_id: str) -> bool:
    pattern = _pattern(component_id)
    return pattern is not None and any(_wildcard(v) in _MULTI for v in pattern.values())


def _short(value: object) -> str:
    """A value from the request, quoted and cut short, as a problem line names it."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")


class BadRequestTally:
    """Counts refused requests and logs them in one line per `every` or per `period` seconds.

    The first refusal is logged at once; later ones are counted and logged together, with the
    last reason, when `every` have come since the last line or `period` seconds have passed.
    """

    def __init__(
        self,
        log: logging.Logger,
        *,
        every: int = 100,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.every = every
        self.period = period
        self.clock = clock
        self.total = 0
        self._pending = 0
        self._last_line: float | None = None
        self._lock = threading.Lock()

    def count(self, reason: str) -> None:
        now = self.clock()
        with self._lock:
            self.total += 1
            self._pending += 1
            due = (
                self._last_line is None
                or self._pending >= self.every
                or now - self._last_line >= self.period
            )
            if not due:
                return
            pending, self._pending = self._pending, 0
            since = "" if self._last_line is None else f" in {now - self._last_line:.0f} s"
            self._last_line = now
            total = self.total
        self.log.warning(
            "refused %d malformed or forged callback request(s)%s (%d in all); last: %s",
            pending,
            since,
            total,
            reason,
        )
