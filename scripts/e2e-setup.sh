#!/usr/bin/env bash
# Installs what the VS Code end-to-end tests need, idempotently, on a fresh machine that reaches
# only the npm registry and Debian apt (see test/e2e/README.md):
#   1. Debian chromium (driven by playwright-core) and libkrb5-dev (code-server's `kerberos`
#      addon compiles against gssapi.h);
#   2. Node 24 from npm (tools/node24): code-server 4.139 refuses to load on Node 20;
#   3. code-server built against Node 24, cached in ~/.cache keyed by the two lockfiles, with a
#      completion stamp so that an interrupted build is redone instead of half-used.
set -euo pipefail
source "$(dirname "$0")/../test/e2e/env.sh"
cd "$E2E_REPO_ROOT"

started=$SECONDS
step_started=$SECONDS
timings=()
step_done() { timings+=("$1 $((SECONDS - step_started))s"); step_started=$SECONDS; }

# 1. Debian packages. `apt-get update` only when something is missing.
missing=()
[ -x "$E2E_CHROMIUM" ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "e2e-setup: apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step_done "apt(${missing[*]})"
else
  step_done "apt(present)"
fi

# 2. Node 24. `npm ci` again only when the lockfile changed since the last install.
node24_lock_hash=$(sha256sum tools/node24/package-lock.json | cut -c1-16)
node24_stamp=tools/node24/node_modules/.installed-$node24_lock_hash
if [ ! -f "$node24_stamp" ] || ! "$E2E_NODE24_HOME/bin/node" --version >/dev/null 2>&1; then
  (cd tools/node24 && npm ci --no-fund --no-audit --loglevel=error)
  touch "$node24_stamp"
  step_done "node24(installed)"
else
  step_done "node24(present)"
fi
echo "e2e-setup: node $("$E2E_NODE24_HOME/bin/node" --version) at $E2E_NODE24_HOME"

# 3. code-server. The lock keeps two concurrent setups from building into the same folder.
mkdir -p "$(dirname "$E2E_CODE_SERVER_DIR")"
exec 9>"$E2E_CODE_SERVER_DIR.lock"
flock 9
if [ ! -f "$E2E_CODE_SERVER_DIR/.complete" ]; then
  echo "e2e-setup: building code-server into $E2E_CODE_SERVER_DIR (a few minutes, once per lockfile change)"
  rm -rf "$E2E_CODE_SERVER_DIR"
  mkdir -p "$E2E_CODE_SERVER_DIR"
  cp tools/code-server/package.json tools/code-server/package-lock.json "$E2E_CODE_SERVER_DIR/"
  # Node 24 first on PATH, and its bundled headers for node-gyp: a user ~/.npmrc `nodedir` pointing
  # at another Node's headers would build addons for the wrong ABI. code-server's postinstall runs a
  # nested `npm install` in lib/vscode whose package.json cannot carry `allowScripts`; the last
  # variable keeps those scripts running once npm starts blocking them by default.
  # Under `npm test` / `npm start` the outer npm's variables are inherited: code-server's
  # postinstall reads the Node version from npm_config_user_agent (the outer Node 20) and refuses
  # to build, and npm_config_* settings of the outer run would leak into the nested installs. The
  # build starts from an environment with every npm_* variable removed.
  npm_vars=()
  while IFS='=' read -r name _; do
    case $name in npm_*|NPM_*) npm_vars+=(-u "$name") ;; esac
  done < <(env)
  (cd "$E2E_CODE_SERVER_DIR" &&
    env "${npm_vars[@]}" PATH="$E2E_NODE24_HOME/bin:$PATH" npm_config_nodedir="$E2E_NODE24_HOME" \
      npm_config_dangerously_allow_all_scripts=true \
      npm ci --no-fund --no-audit --loglevel=error >"$E2E_CODE_SERVER_DIR.build.log" 2>&1) || {
    echo "e2e-setup: code-server build failed; last lines of $E2E_CODE_SERVER_DIR.build.log:" >&2
    tail -40 "$E2E_CODE_SERVER_DIR.build.log" >&2
    exit 1
  }
  PATH="$E2E_NODE24_HOME/bin:$PATH" node "$E2E_CODE_SERVER_BIN" --version >/dev/null
  touch "$E2E_CODE_SERVER_DIR/.complete"
  step_done "code-server(built)"
else
  step_done "code-server(cached)"
fi
flock -u 9
echo "e2e-setup: code-server $(PATH="$E2E_NODE24_HOME/bin:$PATH" node "$E2E_CODE_SERVER_BIN" --version | head -1) at $E2E_CODE_SERVER_DIR"
echo "e2e-setup: ${timings[*]}; total $((SECONDS - started))s"
