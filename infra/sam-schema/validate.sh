#!/usr/bin/env bash
# Validates SAM templates against AWS's SAM JSON schema with ajv (see validate.js).
# Usage: infra/sam-schema/validate.sh [template.yaml ...]   (default: the repository's template.yaml)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

command -v node >/dev/null || { echo "error: node is not on PATH (Node.js >= 18 is needed to validate the template)" >&2; exit 2; }
command -v npm >/dev/null || { echo "error: npm is not on PATH (needed once to install ajv from package-lock.json)" >&2; exit 2; }

# Paths are taken relative to the caller's directory, before this script changes directory.
templates=()
for template in "$@"; do
  templates+=("$(cd "$(dirname "$template")" && pwd)/$(basename "$template")")
done

cd "$here"
# npm ci installs exactly package-lock.json; only needed when node_modules is missing or older than the lock.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

exec node validate.js "${templates[@]}"
