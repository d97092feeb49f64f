"""The one NinjaAPI: version 1, session or token auth, one error shape; each app's router mounted here.

Served at /api/: the schema at /api/openapi.json, interactive docs at /api/docs.
"""

from ninja import NinjaAPI

from alliance.api.auth import AUTH, AUTH_OR_VISITOR
from alliance.api.errors import document_errors, install_error_handlers
from alliance.measure.api import router as measure_router
from alliance.network.api import router as network_router


class AllianceAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = AllianceAPI(
    title="Alliance API",
    version="1",
    description="The member network of the alliance (people, organizations, states) and its shared "
    "measurement (indicators, datasets, published tables). "
    "Authenticate with your browser session or with `Authorization: Bearer <token>` "
    "(create tokens at /api-tokens/).",
    urls_namespace="api",
    docs_url="/docs",
    auth=AUTH,
)
install_error_handlers(api)

api.add_router("/network/", network_router)
api.add_router("/measure/", measure_router, auth=AUTH_OR_VISITOR)
