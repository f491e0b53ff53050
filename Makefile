# 客服助手: the two commands a newcomer needs are `make run` and `make test`.
.PHONY: run test setup train lock demo-reset demo-table lint format

run: setup ## install/update, migrate, seed the demo shop, train if needed, start every server
	.venv/bin/python -m scripts.run

test: setup ## ruff, mypy, pytest, rasa data validate, rasa test (conversation tests)
	scripts/test.sh

setup: ## create or update .venv (app and dev tools, Python 3.11) and .venv-rasa (Rasa, Python 3.10)
	scripts/setup.sh

train: setup ## train the Rasa model if its inputs changed
	.venv/bin/python -m scripts.bot_model

lock: ## re-resolve requirements/*.in into the committed lock files
	.venv/bin/uv pip compile -q --python-version 3.11 --generate-hashes requirements/app.in -o requirements/app.lock
	.venv/bin/uv pip compile -q --python-version 3.11 --generate-hashes requirements/dev.in -c requirements/app.lock -o requirements/dev.lock
	.venv/bin/uv pip compile -q --python-version 3.10 --generate-hashes requirements/rasa.in -o requirements/rasa.lock

demo-reset: setup ## wipe the database and seed the demo shop with fresh dates
	.venv/bin/python -m shop.demo reset --yes

demo-table: ## print the demo order table for the README
	.venv/bin/python -m shop.demo table

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
