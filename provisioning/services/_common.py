"""How a console action names and links its actor (a user, a label such as a command, or none)."""

from typing import Any


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "sistem"
    if isinstance(actor, str):
        return actor
    return str(getattr(actor, "email", "") or actor)


def _actor_fk(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None and not isinstance(actor, str) else None
