"""The browser libraries installed from npm (`npm ci`: echarts, swagger-ui-dist), served by the
app itself so no page loads anything from a CDN. Only the built files the pages use are served,
by name from an allow-list: nothing else under node_modules/ is reachable."""

import hashlib
import logging
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse

from api.routing import ApiRoute, errors
from core.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR_FILES: dict[str, Path] = {
    "echarts.min.js": Path("echarts/dist/echarts.min.js"),
    "swagger-ui-bundle.js": Path("swagger-ui-dist/swagger-ui-bundle.js"),
    "swagger-ui.css": Path("swagger-ui-dist/swagger-ui.css"),
    "favicon-32x32.png": Path("swagger-ui-dist/favicon-32x32.png"),
}
"""The name in the URL → the file under node_modules/."""

CACHE_CONTROL = "public, max-age=2592000"
"""30 days: the files change only with package-lock.json, and the ETag makes a later check cheap."""

UNKNOWN = "没有这个前端库文件 / no such vendor file (served: {names})"
NOT_INSTALLED = (
    "前端库尚未安装，请运行 npm ci / the browser libraries are not installed: run npm ci"
)

router = APIRouter(tags=["static"], route_class=ApiRoute, include_in_schema=False)


@router.get("/static/vendor/{name}", responses=errors(404))
def vendor_file(request: Request, name: str) -> Response:
    """One allowed built file of an npm package, with long cache headers (304 when the browser's
    copy is current); 404 for anything else."""
    relative = VENDOR_FILES.get(name)
    if relative is None:
        raise HTTPException(404, UNKNOWN.format(names=", ".join(VENDOR_FILES)))
    path = NODE_MODULES / relative
    if not path.is_file():
        log.warning("vendor file %s is missing: run npm ci", path)
        raise HTTPException(404, NOT_INSTALLED)
    stat = path.stat()
    tag = hashlib.sha256(f"{name}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:32]
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": f'"{tag}"'}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, headers=headers)
