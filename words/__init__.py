"""Words in one place: what shoppers and agents read, rendered from the domain's facts.

`storefront.yaml` holds every sentence the storefront chat says: the bot's answers rendered
from facts, follow-ups, the gateway's own lines, and Rasa's own responses (joined into Rasa's
domain by `bot/domain_file.py`); `agent.yaml` the agent-facing labels of the domain's enums.
"""
