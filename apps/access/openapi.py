"""The OpenAPI schema and its Swagger UI: public on purpose (they describe the API, they serve
no data), so they opt out of the closed default here, in the public list."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.access.drf import public_api


@public_api
class ApiSchemaView(SpectacularAPIView):
    pass


@public_api
class ApiDocsView(SpectacularSwaggerSplitView):
    pass
