"""The `rasa` command with two of Rasa 3.6's per-message hot spots removed.

Run by the Rasa environment's Python (`.venv-rasa/bin/python -m scripts.rasa_cli run ...`);
it imports nothing from the application. A profile of a Rasa server under the chat benchmark
(`docs/benchmarks.md`) found:

- `RemoteAction._validate_action_result` calls `jsonschema.validate`, which first checks the
  constant response schema against the JSON-Schema metaschema, on every custom-action call:
  13% of the server's CPU. Here the schema is checked once and every response is still
  validated against it, with the same error.
  Each event is then checked against all 23 branches of the event schema's `oneOf` (22
  errors built per event): another 8% (session 27). Here an answer whose events each pass the
  one branch their name selects is valid without that walk (exactly the schema's verdict: the
  branches differ by the `const` of the name); any other answer goes through the full schema.
- `Event.resolve_by_type` walks every Event subclass (with `inspect.isabstract`) for each event
  it deserialises, from the tracker store and from the action server: 4%. Here a name found
  once is remembered; unknown names still go through Rasa's own lookup.
- `RulePolicy._get_possible_keys` checks every rule (348 here) against the conversation's latest
  state for each prediction, several times a message: 9%. Here the rules are first narrowed by
  what their last state requires of the latest one (the previous action's name and the
  intent), a superset of those Rasa keeps, and Rasa's own check runs on that narrower set.
  Training pops rules from a lookup as it checks them: an index whose lookup's keys changed is
  made again.
- `LogisticRegressionClassifier` multiplies each message's sparse features by its weights
  transposed, a strided view that scikit-learn makes contiguous again on every call: 5% (a
  copy of 24 × 18,343 weights per message). Here the loaded weights are kept in Fortran order,
  so the transposed view is already contiguous; the probabilities are the same to the bit.
- `EndpointConfig.request` opens a new aiohttp session, and so a new connection to the action
  server, for every action it runs, several a message: 3%. Here each endpoint keeps one
  session per event loop, with the same headers, authentication and timeout, no cookie jar
  and no cap on connections (as Rasa's session per request had); its idle
  connections are closed after KEEP_ALIVE_S, well before the action server's own timeout
  (Sanic's 120 s), so a connection is never reused just as the server drops it.
"""

import sys
from collections.abc import Callable
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
    quickly_valid = _quick_check(schema, validator_class)

    def _validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
        if quickly_valid(result):
            return True
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


def _quick_check(schema: dict[str, Any], validator_class: Any) -> Callable[[Any], bool]:
    """True when an action's answer is valid by the branch of the event schema each event's
    name selects; False means "not shown valid" (the full schema decides)."""
    event_schema = schema["properties"]["events"]["items"]
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    by_name = {
        branch["properties"]["event"]["const"]: validator_class({**common, "allOf": [branch]})
        for branch in event_schema["oneOf"]
    }
    rest = validator_class(
        {**schema, "properties": {k: v for k, v in schema["properties"].items() if k != "events"}}
    )

    def quickly_valid(result: Any) -> bool:
        if not isinstance(result, dict) or not isinstance(result.get("events", []), list):
            return False
        for event in result.get("events", []):
            name = event.get("event") if isinstance(event, dict) else None
            check = by_name.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return bool(rest.is_valid(result))

    return quickly_valid


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


def _narrow_rules_first() -> None:
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import PREVIOUS_ACTION, USER
    from rasa.shared.nlu.constants import ACTION_NAME, INTENT

    possible_keys = RulePolicy._get_possible_keys

    def narrowed(self: RulePolicy, lookup: dict[str, str], states: list[dict[str, Any]]) -> Any:
        if not states:
            return possible_keys(self, lookup, states)
        indexes = self.__dict__.setdefault(_NARROWERS, {})
        kept = indexes.get(id(lookup))
        # training pops rules from the same dict as it checks them: an index of other keys
        # is made again (comparing the keys costs microseconds, the index saves milliseconds)
        if kept is None or kept[0] is not lookup or kept[1] != lookup.keys():
            index = _rules_by_latest_state(lookup, PREVIOUS_ACTION, USER, ACTION_NAME, INTENT)
            kept = indexes[id(lookup)] = (lookup, frozenset(lookup), index)
        return possible_keys(self, kept[2](states[-1]), states)

    RulePolicy._get_possible_keys = narrowed


_NARROWERS = "_narrowed_rules"  # on a policy: its lookups' indexes, by the lookup's id


def _rules_by_latest_state(
    lookup: dict[str, str], previous_action: str, user: str, action_name: str, intent: str
) -> Callable[[dict[str, Any]], dict[str, str]]:
    """The rules of a lookup that may apply to a latest state, by what their last state asks
    of it: a rule whose last state names a previous action or an intent applies only where
    the latest state has the same (Rasa's `_does_rule_match_state`); a rule whose last state
    has no previous action applies only to a conversation's start, and then always (Rasa's
    `_is_rule_applicable`)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    def asked(value: Any) -> Any:
        return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None

    starters: dict[str, str] = {}
    by_asked: dict[tuple[Any, Any], dict[str, str]] = {}
    for key, action in lookup.items():
        rule_states = RulePolicy._rule_key_to_state(key)
        last = rule_states[-1] if rule_states else None
        if last is not None and not last.get(previous_action):
            starters[key] = action
            continue
        if last is None:
            wanted: tuple[Any, Any] = (None, None)
        else:
            wanted = (
                asked(last[previous_action].get(action_name)),
                asked((last.get(user) or {}).get(intent)),
            )
        by_asked.setdefault(wanted, {})[key] = action
    empty: dict[str, str] = {}

    def candidates(latest: dict[str, Any]) -> dict[str, str]:
        if not latest.get(previous_action):
            return {**starters, **by_asked.get((None, None), empty)}
        name = latest[previous_action].get(action_name)
        said = (latest.get(user) or {}).get(intent)
        found: dict[str, str] = {}
        for wanted in {(name, said), (name, None), (None, said), (None, None)}:
            found.update(by_asked.get(wanted, empty))
        return found

    return candidates


def _weights_in_fortran_order() -> None:
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )

    load = LogisticRegressionClassifier.load.__func__

    def load_with_contiguous_transpose(cls: Any, *args: Any, **kwargs: Any) -> Any:
        component = load(cls, *args, **kwargs)
        if hasattr(getattr(component, "clf", None), "coef_"):
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

    LogisticRegressionClassifier.load = classmethod(load_with_contiguous_transpose)


KEEP_ALIVE_S = 2.0


def _keep_endpoint_sessions() -> None:
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    class Kept:
        """`async with` a kept session: it stays open for the next request."""

        def __init__(self, session: aiohttp.ClientSession) -> None:
            self.session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self.session

        async def __aexit__(self, *_exc: object) -> None:
            return None

    def session(self: EndpointConfig) -> Kept:
        loop = asyncio.get_running_loop()
        kept: dict[int, aiohttp.ClientSession] = self.__dict__.setdefault("_kept_sessions", {})
        found = kept.get(id(loop))
        if found is None or found.closed:
            login = self.basic_auth
            auth = aiohttp.BasicAuth(login["username"], login["password"]) if login else None
            found = kept[id(loop)] = aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEP_ALIVE_S),
                cookie_jar=aiohttp.DummyCookieJar(),  # as a session per request: none kept
            )
        return Kept(found)

    EndpointConfig.session = session


def main() -> int:
    _validate_against_checked_schema()
    _remember_event_types()
    _weights_in_fortran_order()
    _keep_endpoint_sessions()
    _narrow_rules_first()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
