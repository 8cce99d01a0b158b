#!/usr/bin/env bash
# Static checks of the shell scripts in lab/, packaging/ and .ci/ with ShellCheck (settings in
# .shellcheckrc). CI runs it (.ci/run); any finding fails it. Needs shellcheck (lab/setup.sh installs it).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
command -v shellcheck >/dev/null || { echo "lint: no shellcheck; run lab/setup.sh" >&2; exit 1; }
# Every *.sh, and every file under lab/, packaging/ and .ci/ whose shebang runs sh, bash or dash (with or
# without arguments: `#!/bin/sh -e` counts), such as the .deb maintainer scripts and the macOS postinstall.
mapfile -t scripts < <( (git ls-files '*.sh'; git ls-files lab packaging .ci | xargs grep -lE '^#!\S*(/|env )(ba|da)?sh\b') | sort -u)
shellcheck -f gcc "${scripts[@]}"
echo "lint: ShellCheck clean (${#scripts[@]} scripts)"
