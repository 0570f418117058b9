# Runs test tiers for scripts/test-all.sh (sourced, not run): each tier's output goes through, and
# every failure leaves a "N failing" line that scripts/count-results.mjs counts, so CI's closing
# line cannot read as green. Failed tiers are listed in `failed_tiers`.
failed_tiers=()
tier_log=$(mktemp)
trap 'rm -f "$tier_log"' EXIT
# A tier that fails before mocha prints its summary (a crash while loading the tests, a killed
# process) still adds a "failing" line, so CI's closing count shows it.
run_tier() {
  local name=$1; shift
  echo "=== $name"
  "$@" 2>&1 | tee "$tier_log"
  local code=${PIPESTATUS[0]}
  if [ "$code" -ne 0 ]; then
    failed_tiers+=("$name")
    sed 's/\x1b\[[0-9;]*m//g' "$tier_log" | grep -Eq '^ *[0-9]+ failing' || echo "  1 failing ($name did not complete: exit $code)"
  fi
}

# Type-check and build print no test summary; a failure of either counts as one failing test so
# the closing line cannot read as green.
check_step() {
  local name=$1; shift
  echo "=== $name"
  if ! "$@"; then failed_tiers+=("$name"); echo "  1 failing ($name)"; fi
}
