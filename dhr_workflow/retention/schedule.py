"""The retention schedule, read from `workflows/retention/schedule.yaml` (or DHR_RETENTION_SCHEDULE) and checked as
it loads: an unknown kind, a wrong `after`, a bad period, an action the kind does not allow or a missing legal basis
is refused, naming the file and the line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dhr_workflow.core.errors import DhrError
from dhr_workflow.core.paths import workflows_dir
from dhr_workflow.retention.rules import KINDS, Period, parse_period
from dhr_workflow.workflow.strict_yaml import StrictLoader

FIELDS = ("after", "period", "action", "basis")


class ScheduleError(DhrError):
    """The retention schedule is broken; every problem names the file and the line."""

    exit_code = 3

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        lines = "\n".join(f"  {source}: {p}" for p in problems)
        super().__init__(f"{source} is not a valid retention schedule:\n{lines}")


@dataclass(frozen=True)
class Rule:
    kind: str
    after: str
    period: Period
    action: str
    basis: str

    def describe(self) -> str:
        return f"{self.action} {self.period} after {self.after.replace('_', ' ')}"


def schedule_path(override: Path | None = None) -> Path:
    if override is not None:
        return override
    configured = os.environ.get("DHR_RETENTION_SCHEDULE")
    return Path(configured) if configured else workflows_dir() / "retention" / "schedule.yaml"


def load_schedule(path: Path | None = None) -> dict[str, Rule]:
    source = schedule_path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScheduleError(str(source), [f"cannot read the retention schedule ({err})"]) from None
    return parse_schedule(text, str(source))


def parse_schedule(text: str, source: str = "retention schedule") -> dict[str, Rule]:
    try:
        root = yaml.compose(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - duplicate keys refused, naming both lines
    except yaml.YAMLError as err:
        raise ScheduleError(source, [f"not valid YAML: {err}"]) from None
    entries = _mapping_at(root, "schedule")
    if not isinstance(data, dict) or not isinstance(data.get("schedule"), dict) or entries is None:
        raise ScheduleError(source, ["line 1: expected a mapping 'schedule:' of kinds of record"])
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    for key_node, value_node in entries.value:
        rule = _rule(key_node, value_node, data["schedule"].get(key_node.value), problems)
        if rule is not None:
            rules[rule.kind] = rule
    if problems:
        raise ScheduleError(source, problems)
    return rules


def _mapping_at(root: Any, key: str) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for k, v in root.value:
        if k.value == key and isinstance(v, yaml.MappingNode):
            return v
    return None


def _rule(key_node: Any, node: Any, value: Any, problems: list[str]) -> Rule | None:
    kind, line = str(key_node.value), key_node.start_mark.line + 1
    if kind not in KINDS:
        problems.append(f"line {line}: unknown kind of record '{kind}'; known kinds: {', '.join(KINDS)}")
        return None
    if not isinstance(value, dict):
        problems.append(f"line {line}: '{kind}' needs {', '.join(FIELDS)}")
        return None
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    found = _problems(kind, line, lines, value)
    period = None
    if "period" in value:
        try:
            period = parse_period(value["period"])
        except ValueError as err:
            found.append(f"line {lines['period']}: {err}")
    problems += found
    if found or period is None:
        return None
    return Rule(kind, KINDS[kind].after, period, str(value["action"]), " ".join(str(value["basis"]).split()))


def _problems(kind: str, line: int, lines: dict[str, int], value: dict[str, Any]) -> list[str]:
    spec, found = KINDS[kind], []
    for extra in sorted(set(value) - set(FIELDS), key=str):
        found.append(f"line {lines.get(extra, line)}: '{kind}' has an unknown setting '{extra}'")
    for missing in [f for f in FIELDS if f not in value]:
        found.append(f"line {line}: '{kind}' has no '{missing}'")
    if "after" in value and value["after"] != spec.after:
        found.append(f"line {lines['after']}: '{kind}' counts from '{spec.after}', not '{value['after']}'")
    if "action" in value and value["action"] not in spec.actions:
        found.append(f"line {lines['action']}: '{kind}' may only {' or '.join(spec.actions)}")
    if "basis" in value and (not isinstance(value["basis"], str) or len(value["basis"].strip()) < 10):
        found.append(f"line {lines['basis']}: '{kind}' needs its legal basis written out")
    return found
