"""Words in one place: what shoppers and agents read, rendered from the domain's facts.

`storefront.yaml` holds every sentence the storefront chat says from facts (the bot's
answers, follow-ups, the gateway's own lines); `agent.yaml` the agent-facing labels of the
domain's enums. Rasa's fixed lines (greeting, questions of its forms) are its responses in
`bot/domain.yml`.
"""
