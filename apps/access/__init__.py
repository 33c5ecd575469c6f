"""Who may do what, in one place: the access layer every app imports.

- `apps.access.roles`: the roles and their scopes. Platform: central support (every region) and
  provincial admin (the regions of their province). Region: the roles of `apps.accounts.models.Role`
  with their OPD binding. The superuser rule is decided here once: `is_superuser` grants nothing;
  platform access comes only from `User.platform_role` (a role MFA is enforced on).
- `apps.access.drf`: DRF permission classes, and `public_api`, the one way to open an API to
  anonymous callers (every opened view is listed in `PUBLIC_API_VIEWS`).
- `apps.access.decorators`: the same rules for Django views (login page, or a 403 naming the role).
- `apps.access.scoping`: querysets narrowed to what a platform user may see.
- `apps.access.nav`: the navigation registry; each app declares its entries in its own `nav.py`.
"""
