"""Work in the background: the job runner (Huey), the alert deliveries and the periodic jobs.

`python -m jobs` runs the worker (`make run` starts it). The outbox (core.outbox) is the source
of truth; the runner's queue only says "look now".
"""
