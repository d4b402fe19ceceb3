#!/usr/bin/env bash
# Installs whatever the app is missing, then syncs the Python and front-end dependencies.
# Usage: scripts/bootstrap.sh run|test   (test also installs Chromium and poppler for the suite)
# Idempotent: when nothing changed it only checks and returns within a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "$mode" = test ]; then
  system_packages+=(chromium poppler-utils)
fi
command -v npm >/dev/null 2>&1 || system_packages+=(nodejs npm)

missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi

find_python() {
  local candidate
  for candidate in python3.12 python3.13 python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.1[23]*/bin/python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  return 1
}

export UV_PYTHON_DOWNLOADS=never
if [ ! -x .tools/bin/uv ]; then
  python=$(find_python) || { echo "Python 3.12 or newer is needed and none was found." >&2; exit 1; }
  echo "Creating the tool environment with $python"
  "$python" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
fi
if [ ! -x .venv/bin/python ]; then
  python=$(find_python)
  .tools/bin/uv venv --quiet --python "$python" .venv
fi
# Bytecode compiled once per lock change: a process that may not write __pycache__ (for example
# with PYTHONDONTWRITEBYTECODE set) would otherwise compile every module it imports at each
# start, about a second for a management command.
if [ ! -f .venv/.bytecode-compiled ] || [ uv.lock -nt .venv/.bytecode-compiled ]; then
  .tools/bin/uv sync --quiet --frozen --compile-bytecode
  touch .venv/.bytecode-compiled
else
  .tools/bin/uv sync --quiet --frozen
fi
.venv/bin/python -m compileall -q advisor >/dev/null

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
