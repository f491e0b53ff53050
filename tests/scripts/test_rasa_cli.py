"""The Rasa launcher's fixes keep Rasa's behaviour: answers validated, events resolved, rules
found."""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet
from scripts import rasa_cli

rasa_cli._validate_against_checked_schema()
rasa_cli._remember_event_types()
action = RemoteAction("action_answer_faq", None)
report = {"valid": action._validate_action_result(
    {"events": [{"event": "slot", "name": "order_id", "value": "1"}], "responses": []})}
try:
    action._validate_action_result({"events": [{"name": "order_id"}], "responses": "hi"})
    report["invalid"] = "accepted"
except ValidationError as error:
    report["invalid"] = error.message
report["slot"] = Event.resolve_by_type("slot") is SlotSet
report["slot_again"] = Event.resolve_by_type("slot") is SlotSet
report["unknown_default"] = Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
try:
    Event.resolve_by_type("no_such_event")
    report["unknown"] = "resolved"
except ValueError as error:
    report["unknown"] = str(error)

schema = RemoteAction.action_response_format_spec()
from jsonschema.validators import validator_for
full = validator_for(schema)(schema)
quickly_valid = rasa_cli._quick_check(schema, validator_for(schema))
answers = [
    {"events": [{"event": "slot", "name": "a", "value": None, "timestamp": None},
                {"event": "followup", "name": "utter_x"}, {"event": "active_loop", "name": None},
                {"event": "bot", "text": "hi", "data": {}}, {"event": "reset_slots"}],
     "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {"responses": []},
    {"events": [{"event": "slot", "name": "a"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "a"}]},
    {"events": ["slot"]},
    {"events": {"event": "slot"}},
    {"events": [{"event": ["slot"]}]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "now"}]},
    {"events": [], "responses": "hi"},
    "not an answer",
]
report["quick"] = [quickly_valid(answer) for answer in answers]
report["full"] = [full.is_valid(answer) for answer in answers]
print(json.dumps(report))
"""

RULES = """
import json, random
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET
from scripts import rasa_cli

rng = random.Random(27)
actions = ["action_listen", "utter_greet", "action_lookup", "order_form", "utter_ask", None]
intents = ["greet", "track_order", "inform", "deny", None, SHOULD_NOT_BE_SET]
slots = [{}, {"order_no": (1.0,)}, {"order_no": SHOULD_NOT_BE_SET}]

def state(starter=False):
    made = {}
    if not starter:
        name = rng.choice(actions)
        made["prev_action"] = {"action_name": name} if name else {"action_text": "hi"}
    intent = rng.choice(intents)
    if intent is not None:
        made["user"] = {"intent": intent}
    if rng.random() < 0.3:
        made["slots"] = rng.choice(slots)
    if rng.random() < 0.2:
        made["active_loop"] = {"name": rng.choice(["order_form", SHOULD_NOT_BE_SET])}
    return made

def history(length):
    return [state(starter=i == 0 and rng.random() < 0.5) for i in range(length)]

lookup = {json.dumps(history(rng.randint(1, 4))): rng.choice(actions[:5]) for _ in range(400)}
lookup[json.dumps([])] = "action_listen"
policy = RulePolicy.__new__(RulePolicy)
conversations = [history(rng.randint(1, 8)) for _ in range(3000)]
before = [sorted(RulePolicy._get_possible_keys(policy, lookup, c)) for c in conversations]
dropped = sorted(lookup)[:200]  # what training pops from a lookup while it checks it
trained_lookup = {k: v for k, v in lookup.items() if k not in dropped}
trained = [sorted(RulePolicy._get_possible_keys(policy, trained_lookup, c)) for c in conversations]

rasa_cli._narrow_rules_first()
after = [sorted(RulePolicy._get_possible_keys(policy, lookup, c)) for c in conversations]
indexed = len(vars(policy).get("_narrowed_rules", {}))  # lookups indexed
for key in dropped:
    lookup.pop(key)  # the same dict changed in place
retrained = [sorted(RulePolicy._get_possible_keys(policy, lookup, c)) for c in conversations]
print(json.dumps({
    "same": sum(a == b for a, b in zip(before, after)),
    "same_after_training": sum(a == b for a, b in zip(trained, retrained)),
    "conversations": len(conversations),
    "found": sum(len(b) for b in before),
    "indexed": indexed,
}))
"""


@pytest.fixture(scope="module")
def report() -> dict:
    return run_in_rasa_env(SCENARIO)


def test_a_well_formed_action_answer_passes(report):
    assert report["valid"] is True


def test_a_malformed_action_answer_is_still_rejected_with_rasas_hint(report):
    assert "Failed to validate Action server response" in report["invalid"]


def test_an_answer_is_quickly_valid_only_when_rasas_schema_accepts_it(report):
    assert [q and not f for q, f in zip(report["quick"], report["full"], strict=True)] == [
        False
    ] * 12
    assert report["quick"][:3] == [True, True, True]  # well-formed answers skip the long walk
    assert report["full"][3:] == [False] * 9


def test_rules_narrowed_first_are_exactly_the_rules_rasa_finds():
    found = run_in_rasa_env(RULES)
    assert found["same"] == found["conversations"] == 3000
    assert found["same_after_training"] == 3000  # the rules popped in place are left out
    assert found["indexed"] == 1  # the narrowing did run
    assert found["found"] > 1000  # the conversations do match rules, so the check can fail


WEIGHTS = """
import json
import numpy as np
import scipy.sparse as sp
from types import SimpleNamespace
from sklearn.linear_model import LogisticRegression
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from scripts import rasa_cli

rng = np.random.default_rng(27)
X = sp.random(200, 3000, density=0.01, format="csr", random_state=27)
clf = LogisticRegression(max_iter=500).fit(X, rng.integers(0, 6, 200))
messages = sp.random(20, 3000, density=0.02, format="csr", random_state=7)
before = clf.predict_proba(messages)
LogisticRegressionClassifier.load = classmethod(lambda cls, *a, **k: SimpleNamespace(clf=clf))
rasa_cli._weights_in_fortran_order()
loaded = LogisticRegressionClassifier.load({}, None, None, None)
print(json.dumps({
    "fortran": bool(loaded.clf.coef_.flags["F_CONTIGUOUS"]),
    "same": bool(np.array_equal(before, loaded.clf.predict_proba(messages))),
}))
"""


def test_the_intent_weights_are_loaded_for_a_contiguous_transpose_with_the_same_answers():
    loaded = run_in_rasa_env(WEIGHTS)
    assert loaded == {"fortran": True, "same": True}


SESSIONS = """
import asyncio, json
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig
from scripts import rasa_cli

rasa_cli._keep_endpoint_sessions()
peers, seen = set(), []

async def webhook(request):
    peers.add(request.transport.get_extra_info("peername"))
    seen.append((request.headers.get("Authorization"), await request.json()))
    return web.json_response({"events": [], "n": len(seen)})

async def main():
    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(
        f"http://127.0.0.1:{port}/webhook", basic_auth={"username": "u", "password": "p"}
    )
    answers = [await endpoint.request(json={"next_action": i}) for i in range(5)]
    await asyncio.sleep(rasa_cli.KEEP_ALIVE_S + 1)  # idle past the keep-alive: a new one
    answers.append(await endpoint.request(json={"next_action": 5}))
    print(json.dumps({
        "answers": [a["n"] for a in answers],
        "sent": [body["next_action"] for _, body in seen],
        "auth": sorted({auth for auth, _ in seen}),
        "connections": len(peers),
    }))
    await runner.cleanup()

asyncio.run(main())
"""


def test_an_endpoint_keeps_its_connection_between_requests_and_lets_it_go_when_idle():
    kept = run_in_rasa_env(SESSIONS)
    assert kept["answers"] == [1, 2, 3, 4, 5, 6]
    assert kept["sent"] == [0, 1, 2, 3, 4, 5]
    assert kept["auth"] == ["Basic dTpw"]
    assert kept["connections"] == 2


def test_event_types_resolve_as_in_rasa_and_unknown_ones_still_fail(report):
    assert report["slot"]
    assert report["slot_again"]
    assert report["unknown_default"]
    assert "Unknown event name 'no_such_event'" in report["unknown"]
