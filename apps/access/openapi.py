"""The OpenAPI schema and its Swagger UI: public on purpose (they describe the API, they serve
no data), so they opt out of the closed default here, in the public list.

The schema is generated once per process for each URLconf, API version and language, then
served from memory: it describes the code, not the caller (built public, SERVE_PUBLIC: every
operation, whatever the user may call), and generating it took about a second of CPU per
request, which anyone could ask for. A changed setting (tests) empties the cache."""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.access.drf import public_api

_SCHEMAS: dict[tuple[str, str | None, str], Any] = {}
MAX_SCHEMAS = 16


def _language() -> str:
    """The active language as one of LANGUAGES: an unknown `lang` (which translates as the
    default) shares the default's entry instead of adding one."""
    codes = {code for code, _name in settings.LANGUAGES}
    active = translation.get_language() or settings.LANGUAGE_CODE
    return active if active in codes else settings.LANGUAGE_CODE


def _schemas_clear(**_kwargs: Any) -> None:
    _SCHEMAS.clear()


setting_changed.connect(_schemas_clear, dispatch_uid="access.openapi_schemas_clear")


@public_api
class ApiSchemaView(SpectacularAPIView):
    def _get_schema_response(self, request: Request) -> Response:
        version = (
            self.api_version or request.version or self._get_version_parameter(request)  # type: ignore[no-untyped-call]
        )
        key = (str(self.urlconf), version, _language())
        schema = _SCHEMAS.get(key)
        if schema is None:
            if len(_SCHEMAS) >= MAX_SCHEMAS:  # versions are few; never let the key space grow
                _SCHEMAS.clear()
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = _SCHEMAS[key] = generator.get_schema(  # type: ignore[no-untyped-call]
                request=request, public=self.serve_public
            )
        filename = self._get_filename(request, version)  # type: ignore[no-untyped-call]
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


@public_api
class ApiDocsView(SpectacularSwaggerSplitView):
    pass
