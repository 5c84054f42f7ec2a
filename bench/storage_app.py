"""The portal's download routes alone, as an ASGI app for `bench/storage_transfer.py`
(`granian --interface asgi bench.storage_app:app`): the same route code the portal
mounts, with its settings (database, storage) from the environment."""

from starlette.applications import Starlette

from portal_app.api.course_media_routes import course_media_routes
from portal_app.api.document_routes import document_routes

app = Starlette(routes=course_media_routes() + document_routes())
