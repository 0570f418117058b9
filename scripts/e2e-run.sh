#!/usr/bin/env bash
# End-to-end tests of the extension in real VS Code (code-server 4.139 = VS Code 1.139, driven by
# Debian's Chromium). Tiers, chosen with E2E_TIERS (default "host ui"):
#   host     mocha in the extension host through the stock @vscode/test-electron runTests(), whose
#            VS Code executable is test/e2e/vscode-shim.mjs (it starts its own code-server);
#   payload  the same suite driven directly through the workbench payload, on the shared server;
#   ui       Playwright-style UI tests on the shared server, with the packaged .vsix installed.
# Every tier prints mocha's "N passing" / "N failing"; the closing "e2e ..." lines sum them up.
# E2E_EXTENSION_PATH tests another extension folder instead of this repository (the harness's own check).
set -uo pipefail
source "$(dirname "$0")/../test/e2e/env.sh"
cd "$E2E_REPO_ROOT"

tiers=${E2E_TIERS:-host ui}
extension_path=$(cd "${E2E_EXTENSION_PATH:-$E2E_REPO_ROOT}" && pwd)
run_root=$E2E_REPO_ROOT/.test-run
started=$SECONDS

# A failure before the tiers still ends with a "failing" line, so that CI's count shows it.
abort_before_tiers() {
  echo "  1 failing (e2e did not run: $1)"
  exit 1
}

bash scripts/e2e-setup.sh || abort_before_tiers "scripts/e2e-setup.sh failed"

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM -- "-$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds: the extension-host suite, and the .vsix the UI tier installs. For this repository the
# package is made by `npm run package` (production bundles, allowlist and size checked), the same
# command that makes the package users install; the host tier loads those same bundles from dist/.
# E2E_SKIP_BUILD=1 packages dist/ as it is.
build_started=$SECONDS
# .test-run/start belongs to a running `npm start`: only the tiers' own folders are cleared.
mkdir -p "$run_root"
(cd "$run_root" && rm -rf host payload ui shared ./*.vsix ./*.log)
node test/e2e/build.mjs || abort_before_tiers "the e2e suite did not build"
version=$(node -p "require('$extension_path/package.json').version")
name=$(node -p "require('$extension_path/package.json').name")
vsix=$run_root/$name-$version.vsix
if [ "$extension_path" = "$E2E_REPO_ROOT" ]; then
  package_flags=()
  [ "${E2E_SKIP_BUILD:-}" = 1 ] && package_flags+=(--no-build)
  npm run --silent package -- "${package_flags[@]}" --out "$vsix" >"$run_root/package.log" 2>&1 || {
    cat "$run_root/package.log" >&2
    abort_before_tiers "npm run package failed"
  }
  tail -1 "$run_root/package.log"
else
  (cd "$extension_path" && npx --prefix "$E2E_REPO_ROOT" vsce package --no-dependencies --allow-missing-repository --out "$vsix" >"$run_root/vsce.log" 2>&1) || {
    cat "$run_root/vsce.log" >&2
    abort_before_tiers "vsce package failed"
  }
fi
echo "e2e build: $((SECONDS - build_started))s ($(basename "$vsix"))"

# One shared code-server (own process group, free port) for the payload and ui tiers, started
# when the first of them runs, so that it does not compete with the host tier's private server.
server_url=""
ensure_server() {
  [ -n "$server_pid" ] && return 0
  local server_started=$SECONDS
  read -r server_url server_pid < <(node test/e2e/start-code-server.mjs "$run_root/shared" "$vsix") || true
  if [ -z "${server_pid:-}" ]; then
    echo "e2e: code-server did not start; see $run_root/shared/code-server.log" >&2
    return 1
  fi
  echo "e2e server: $server_url (pid $server_pid) healthy after $((SECONDS - server_started))s"
}

summary=()
status=0
run_tier() {
  local tier=$1
  shift
  local log=$run_root/$tier.log
  local tier_started=$SECONDS
  echo "== e2e tier: $tier"
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  if [ "$code" -eq 130 ] || [ "$code" -eq 143 ]; then
    echo "e2e: interrupted during the $tier tier"
    exit "$code"
  fi
  local passing failing
  passing=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n 's/^ *\([0-9][0-9]*\) passing.*/\1/p' | tail -1)
  failing=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n 's/^ *\([0-9][0-9]*\) failing.*/\1/p' | tail -1)
  if [ "$code" -ne 0 ] && [ -z "$failing" ]; then
    # The tier ended before mocha could report: count it as one failure so CI's sum shows it.
    echo "  1 failing (e2e $tier did not complete: exit $code)"
    failing=1
  fi
  summary+=("e2e $tier: ${passing:-0} passed, ${failing:-0} failed in $((SECONDS - tier_started))s")
  [ "$code" -eq 0 ] || status=1
}

tier_not_run() {
  echo "  1 failing (e2e $1 did not run: $2)"
  summary+=("e2e $1: 0 passed, 1 failed ($2)")
  status=1
}

for tier in $tiers; do
  case $tier in
    host)
      run_tier host env E2E_EXTENSION_PATH="$extension_path" E2E_RUN_DIR="$run_root/host" node test/e2e/runTest.mjs ;;
    payload)
      ensure_server || { tier_not_run payload "code-server did not start"; continue; }
      mkdir -p "$run_root/payload"
      node --input-type=module -e "import { freshWorkspace } from './test/e2e/lib/workspace.mjs'; freshWorkspace(process.argv[1]);" "$run_root/payload/workspace"
      run_tier payload env E2E_RUN_DIR="$run_root/payload" node test/e2e/host-tests.mjs "$server_url" "$extension_path" \
        "$E2E_REPO_ROOT/out/e2e/suite/index.js" "$run_root/payload/workspace" ;;
    ui)
      ensure_server || { tier_not_run ui "code-server did not start"; continue; }
      run_tier ui env E2E_SERVER_URL="$server_url" E2E_RUN_DIR="$run_root/ui" E2E_VSIX="$vsix" node test/e2e/ui/run.mjs ;;
    *)
      tier_not_run "$tier" "unknown tier; known: host, payload, ui" ;;
  esac
done
stop_server

printf '%s\n' "${summary[@]}"
echo "e2e total: $((SECONDS - started))s"
exit $status
