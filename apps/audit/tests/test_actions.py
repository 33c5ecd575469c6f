"""Audit actions come from one registry: the code names no action outside it, and the chain
refuses an unregistered one."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from apps.audit.actions import LABELS, AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.audit.services import audit_record
from tenants.models import Tenant

WRITERS = {"audit_record", "platform_audit_record", "_audit", "lifecycle_record"}
SOURCE_DIRS = ["apps", "provisioning", "tenants", "saas", "bench", "tests"]


def _calls_with_action() -> list[tuple[str, ast.expr]]:
    found = []
    for folder in SOURCE_DIRS:
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if path.name == "test_actions.py":  # refuses a free string on purpose, below
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in WRITERS:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found.append((f"{path}:{node.lineno}", keyword.value))
    return found


def test_every_audit_call_names_a_registered_action() -> None:
    calls = _calls_with_action()
    assert len(calls) > 20  # the scan does find the writers
    for where, value in calls:
        # a string written in the call is refused: actions are AuditAction members, or a value
        # passed through (a parameter, a lifecycle action mapped by AuditAction.lifecycle)
        assert not isinstance(value, ast.Constant | ast.JoinedStr), where
        if isinstance(value, ast.Attribute) and getattr(value.value, "id", "") == "AuditAction":
            assert value.attr in AuditAction.__members__, where


def test_every_lifecycle_action_is_registered() -> None:
    from provisioning.models import LifecycleRecord

    for action in LifecycleRecord.Action:
        assert AuditAction.lifecycle(action.value).value == f"region.{action.value}"


def test_every_action_has_a_label() -> None:
    assert set(LABELS) == set(AuditAction)


@pytest.mark.parametrize("writer", ["region", "platform"])
def test_an_unregistered_action_is_refused(medan: Tenant, writer: str) -> None:
    with pytest.raises(ValueError, match="not registered"):
        if writer == "region":
            with schema_context(medan.schema_name):
                audit_record(actor="uji", action="uji.bebas")  # type: ignore[arg-type]
        else:
            platform_audit_record(actor="uji", action="uji.bebas")  # type: ignore[arg-type]
