#!/usr/bin/env bash
# Stand-in "VS Code executable" for @vscode/test-electron:
#   runTests({ vscodeExecutablePath: '<repo>/scripts/vscode/code-shim.sh', extensionDevelopmentPath,
#              extensionTestsPath, launchArgs: [workspaceFolder], extensionTestsEnv })
# test-electron cannot download VS Code here, but it starts whatever executable it is given with
# the usual test arguments. We turn those into a code-server + Chromium run
# (test/e2e/harness/extHost.js); our exit status is the test result, so runTests resolves on pass
# and rejects (TestRunFailedError) on failure. extensionTestsEnv arrives as our environment and is
# inherited by code-server's extension host.
#
# Ignored on purpose: --no-sandbox, --user-data-dir/--extensions-dir (every run gets fresh ones, or
# the previous run's editors come back), --disable-extensions (the fresh extensions dir is empty
# anyway), and any other flag. Env: E2E_OUT (failure screenshot/logs dir), E2E_TIMEOUT_MS.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
args=(); ws=
while [ $# -gt 0 ]; do
  case $1 in
    --extensionTestsPath=*|--extensionDevelopmentPath=*) args+=("$1") ;;
    --extensionTestsPath|--extensionDevelopmentPath) args+=("$1=$2"); shift ;;
    --folder-uri=file://*) ws=$(node -e 'console.log(require("url").fileURLToPath(process.argv[1]))' "${1#--folder-uri=}") ;;
    --user-data-dir|--extensions-dir|--folder-uri|--locale) shift ;;   # flags that take a value
    -*) ;;
    *) ws=$1 ;;
  esac
  shift
done
[ -n "$ws" ] && args+=("--workspace=$ws")
[ -n "${E2E_OUT:-}" ] && args+=("--outDir=$E2E_OUT")
[ -n "${E2E_TIMEOUT_MS:-}" ] && args+=("--timeout=$E2E_TIMEOUT_MS")
exec node "$ROOT/test/e2e/harness/extHost.js" "${args[@]}"
