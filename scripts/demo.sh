#!/usr/bin/env bash
# npm run demo: build and package the extension, install it into a real VS Code (code-server) and
# open a copy of the bundled sample datasets; prints the URL to open in a browser.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mkdir -p .vscode-test
npx vsce package --no-dependencies -o .vscode-test/tuneset.vsix >/dev/null
# A copy, so trying quick fixes never edits the repository's samples; DEMO_FRESH=1 starts over.
WS=.vscode-test/demo-workspace
if [ "${DEMO_FRESH:-0}" = 1 ] || [ ! -d "$WS" ]; then rm -rf "$WS" && cp -r samples "$WS"; fi
echo "Tuneset demo: open the URL printed below in a browser (Ctrl+C stops it)."
exec bash scripts/vscode/demo.sh .vscode-test/tuneset.vsix "$WS"
