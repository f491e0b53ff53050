#!/usr/bin/env bash
# Creates or updates both virtual environments from the committed lock files.
# Idempotent: an environment whose lock file is unchanged since its last install is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
export UV_CACHE_DIR="${UV_CACHE_DIR:-$PWD/.cache/uv}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m错误 / error:\033[0m %s\n' "$*" >&2; exit 1; }

# find_python VERSION: prints the path of a CPython VERSION interpreter, or nothing.
find_python() {
  local v=$1 candidate
  for candidate in "python$v" "$HOME/.pyenv/versions/$v"*/bin/"python$v" /usr/bin/"python$v" /usr/local/bin/"python$v"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'pass' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root)
    for candidate in "$root"/versions/"$v"*/bin/"python$v"; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  return 0
}

# lock_stamp LOCK...: a short digest of the lock files together (any change means a new install).
lock_stamp() { cat "$@" | sha256sum | cut -c1-16; }

PY311=$(find_python 3.11)
[ -n "$PY311" ] || die "Python 3.11 is required for the application (.venv). Install it (e.g. 'pyenv install 3.11' or 'apt-get install python3.11') and run again."

if [ ! -x .venv/bin/python ]; then
  say "Creating .venv (Python 3.11: $PY311)"
  "$PY311" -m venv .venv
fi
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  say "Installing uv $UV_VERSION into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
UV=.venv/bin/uv

# sync_env DIR LOCK...: installs exactly the LOCK files into the environment DIR (removing anything
# else) unless it already holds exactly those locks.
sync_env() {
  local dir=$1 stamp; shift
  stamp=$(lock_stamp "$@")
  if [ "$(cat "$dir/.lock-stamp" 2>/dev/null)" = "$stamp" ]; then
    say "$dir is up to date ($* unchanged)"
    return
  fi
  say "Installing $* into $dir (first time: about a minute)"
  VIRTUAL_ENV="$PWD/$dir" "$UV" pip sync --link-mode=copy "$@"
  echo "$stamp" > "$dir/.lock-stamp"
}

# The run-time packages and the development tools (tests, lint, types) go into the one .venv that
# `make run` and `make test` share: with the tools only under `make test`, each command would
# uninstall what the other installed (pip sync installs exactly its locks).
sync_env .venv requirements/app.lock requirements/dev.lock

if [ ! -x .venv-rasa/bin/python ]; then
  PY310=$(find_python 3.10)
  [ -n "$PY310" ] || die "Python 3.10 is required for the Rasa server (.venv-rasa): Rasa Open Source 3.6 does not run on 3.11+. Install one with 'pyenv install 3.10', 'uv python install 3.10' or your distribution's python3.10 package, then run again."
  say "Creating .venv-rasa (Python 3.10: $PY310)"
  "$UV" venv --quiet -p "$PY310" .venv-rasa
fi
sync_env .venv-rasa requirements/rasa.lock

# The staff pages' charts (ECharts) and the API docs page (Swagger UI) are served from
# node_modules, installed from the committed package-lock.json: no CDN at run time.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null 2>&1 || die "npm is required for the staff pages' charts (apt-get install npm, or Node.js from nodejs.org)"
  say "Installing the staff pages' JavaScript packages (npm ci)"
  npm ci --silent --no-audit --no-fund --ignore-scripts >/dev/null  # no install scripts: none is needed, one sends analytics
fi

# Redis holds the lock store that lets several Rasa servers share conversations (make run).
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian's redis-server (lock store for several Rasa servers)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    say "redis-server is missing and this is not root: make run will start one Rasa server"
  fi
fi
