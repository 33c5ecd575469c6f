"""Writes of identity and access: invitations, roles, activation, API tokens, support grants.

Every change in a region is appended to its audit log in the same transaction. The public schema
has no audit log (apps.audit is a region app), so console-side changes are not chained there.

- invitations.py: inviting to a region or the console, accepting (single use), revoking;
- users.py: a region user's roles, deactivation and reactivation;
- tokens.py: personal API tokens;
- support.py: central support's read-only grants to a region, their console records (the one
  module that crosses schemas here) and the console-to-region handoff.
"""

from apps.accounts.services.invitations import (
    invitation_accept,
    invitation_accept_pending,
    invitation_create,
    invitation_get_usable,
    invitation_revoke,
    site_base_url,
    staff_invitation_create,
)
from apps.accounts.services.support import (
    HANDOFF_PURPOSE,
    support_grant_end,
    support_grant_end_own,
    support_grant_open,
    support_handoff_consume,
    support_handoff_issue,
)
from apps.accounts.services.tokens import api_token_create, api_token_revoke
from apps.accounts.services.users import user_deactivate, user_reactivate, user_roles_set

__all__ = [
    "HANDOFF_PURPOSE",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_accept_pending",
    "invitation_create",
    "invitation_get_usable",
    "invitation_revoke",
    "site_base_url",
    "staff_invitation_create",
    "support_grant_end",
    "support_grant_end_own",
    "support_grant_open",
    "support_handoff_consume",
    "support_handoff_issue",
    "user_deactivate",
    "user_reactivate",
    "user_roles_set",
]
