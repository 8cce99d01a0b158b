#!/usr/bin/env bash
# Static checks of the shell scripts in lab/, packaging/ and .ci/ with ShellCheck (settings in
# .shellcheckrc). CI runs it (.ci/run); any finding fails it. Needs shellcheck (lab/setup.sh installs it).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
command -v shellcheck >/dev/null || { echo "lint: no shellcheck; run lab/setup.sh" >&2; exit 1; }
mapfile -t scripts < <( (git ls-files '*.sh'; git ls-files lab packaging .ci | xargs grep -l '^#!.*\(bash\|sh\)$') | sort -u)
shellcheck -f gcc "${scripts[@]}"
echo "lint: ShellCheck clean (${#scripts[@]} scripts)"
