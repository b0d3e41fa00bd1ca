#!/usr/bin/env bash
# Try the packaged extension by hand in a real VS Code 1.100.3 (code-server) in your browser.
#
#   scripts/vscode/demo.sh path/to/tuneset-0.1.0.vsix [folder]      # folder defaults to $PWD
#   PORT=8081 scripts/vscode/demo.sh ...      # that port or none; default 8080, or the next free one after it
#   HOST=0.0.0.0 scripts/vscode/demo.sh ...   # default 127.0.0.1 (no auth! keep it on loopback)
#   DEMO_FRESH=1 scripts/vscode/demo.sh ...   # forget settings/state/extensions from earlier demos
#
# State (settings, open editors, installed extensions) persists in .vscode-test/demo, so a demo
# can be stopped and resumed; the vsix is reinstalled (--force) on every start so the newest
# build is what runs. Stays in the foreground until Ctrl+C, which stops code-server and its
# extension host / language server.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VSIX=${1:?usage: demo.sh path/to/extension.vsix [folder]}
FOLDER=${2:-$PWD}
[ -f "$VSIX" ] || { echo "demo: no such vsix: $VSIX" >&2; exit 1; }
[ -d "$FOLDER" ] || { echo "demo: no such folder: $FOLDER" >&2; exit 1; }
VSIX=$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")
FOLDER=$(cd "$FOLDER" && pwd)
DEMO=${VSCODE_TEST_DIR:-$ROOT/.vscode-test}/demo

bash "$HERE/setup.sh"
[ "${DEMO_FRESH:-0}" = 1 ] && rm -rf "$DEMO"
mkdir -p "$DEMO"
# A port asked for with PORT is used or refused with a message; the default 8080 gives way to the
# next free port when another program (another demo, a dev server) holds it. Either way the URL
# printed is our own server's: the harness waits for code-server's own "listening on" line.
PORT_ARGS=(--port "${PORT:-8080}")
[ -n "${PORT:-}" ] || PORT_ARGS+=(--next-free-port)
# exec: Ctrl+C goes straight to the Node process, which stops code-server (SIGTERM, then kills
# the whole process group) before exiting.
exec node "$ROOT/test/e2e/harness/codeServer.js" --dir "$DEMO" --host "${HOST:-127.0.0.1}" "${PORT_ARGS[@]}" \
  --vsix "$VSIX" --folder "$FOLDER"
