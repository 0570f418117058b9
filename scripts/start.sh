#!/usr/bin/env bash
# `npm start`: the extension in a real VS Code (code-server, VS Code 1.139's server and web
# workbench) with examples/ open, on http://127.0.0.1:$PORT (a free port when PORT is unset).
# On a fresh machine it first installs what it needs: node_modules, Chromium and code-server
# (scripts/e2e-setup.sh, cached), then builds and packages the .vsix (npm run package) and
# installs it into a profile of its own under .test-run/start. Runs until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/../test/e2e/env.sh"
cd "$E2E_REPO_ROOT"

if [ ! -d node_modules ]; then
  npm ci --no-fund --no-audit
fi
bash scripts/e2e-setup.sh

run_dir=$E2E_REPO_ROOT/.test-run/start
mkdir -p "$run_dir"
version=$(node -p "require('./package.json').version")
vsix=$run_dir/llm-roofline-$version.vsix
npm run --silent package -- --out "$vsix" >"$run_dir/package.log" 2>&1 || {
  cat "$run_dir/package.log" >&2
  echo "start: npm run package failed" >&2
  exit 1
}
tail -1 "$run_dir/package.log"

# exec: Ctrl-C and `kill <pid>` reach the server's owner directly, which stops its process group.
exec node test/e2e/serve-workspace.mjs "$run_dir" "$vsix" "$E2E_REPO_ROOT/examples"
