"""Process workflows (kind: process) beside case workflows."""

from __future__ import annotations

import pytest

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.errors import InvalidInput, WorkflowDefinitionError
from dhr_workflow.workflow.definition import parse_definition
from tests.conftest import REPO
from tests.factories import notification

MINIMAL = """
name: tiny
version: "1"
title: Tiny
guidance: none
initial: a
states: {a: {stage: A, label: A}, b: {stage: B, label: B, final: true}}
transitions: [{trigger: go, label: Go, source: a, dest: b}]
"""


@pytest.mark.single_db
def test_a_process_workflow_needs_no_reference_prefix():
    definition = parse_definition(MINIMAL + "kind: process\n", "tiny.yaml")
    assert definition.kind == "process" and definition.reference_prefix == ""


@pytest.mark.single_db
def test_a_case_workflow_still_needs_its_reference_prefix():
    with pytest.raises(WorkflowDefinitionError, match="reference_prefix"):
        parse_definition(MINIMAL, "tiny.yaml")


@pytest.mark.single_db
def test_the_commentary_round_definition_is_valid(cli):
    result = cli("workflow", "validate", str(REPO / "workflows" / "commentary_round.yaml"))
    assert result.exit_code == 0, result.output


def test_a_review_cannot_be_notified_under_a_process_workflow(ctx, today):
    with pytest.raises(InvalidInput, match="process workflow"):
        cases.notify_case(ctx, notification(today), workflow="commentary_round")
