"""The `rasa` command with two of Rasa 3.6's per-message hot spots removed.

Run by the Rasa environment's Python (`.venv-rasa/bin/python -m scripts.rasa_cli run ...`);
it imports nothing from the application. A profile of a Rasa server under the chat benchmark
(`docs/benchmarks.md`) found:

- `RemoteAction._validate_action_result` calls `jsonschema.validate`, which first checks the
  constant response schema against the JSON-Schema metaschema, on every custom-action call:
  13% of the server's CPU. Here the schema is checked once and every response is still
  validated against it, with the same error.
- `Event.resolve_by_type` walks every Event subclass (with `inspect.isabstract`) for each event
  it deserialises, from the tracker store and from the action server: 4%. Here a name found
  once is remembered; unknown names still go through Rasa's own lookup.
"""

import sys
from typing import Any


def _validate_against_checked_schema() -> None:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result


def _remember_event_types() -> None:
    from rasa.shared.core.events import Event

    lookup = Event.resolve_by_type
    known: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        found = known.get(type_name)
        if found is None:
            found = lookup(type_name, default)
            if found is not None and found.type_name == type_name:
                known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)


def main() -> int:
    _validate_against_checked_schema()
    _remember_event_types()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
