"""One way to load a policy YAML file: parse it, validate it against its pydantic model, and
turn any failure into the caller's own error naming the file and what is wrong."""

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def load_policy_file(path: Path, model: type[M], error: type[ValueError], what: str) -> M:
    """The file at `path` validated as `model`; `error` says "<path>: invalid <what>: ..."."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise error(f"{path}: invalid {what}: {exc}") from exc
