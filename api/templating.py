"""The Jinja2 templates and static files of the pages the service serves."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from words.render import label

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["label"] = label  # an enum member as staff read it (words/agent.yaml)
