#!/usr/bin/env bash
# Installs what it takes to run the extension in a real VS Code on this machine:
# VS Code 1.100.3 served by code-server 4.100.3, driven by playwright-core + Debian Chromium.
#
# Why this way: the usual routes (@vscode/test-electron's VS Code download, npm electron,
# @vscode/test-web, `npx playwright install`) all fetch binaries from hosts this machine cannot
# reach. Only the npm registry and Debian's apt are reachable, and code-server from npm is a full
# VS Code that the system Node runs.
#
# Idempotent: a second run only checks (well under a second). Safe on a fresh clone.
# Env: VSCODE_TEST_DIR (default <repo>/.vscode-test) - where everything is cached (gitignore it).
#      SETUP_FORCE=1 - reinstall code-server/playwright-core even if the stamp says they are there.
#      VSCODE_SETUP_QUIET=1 - no "ready" line when there was nothing to do.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VT=${VSCODE_TEST_DIR:-$ROOT/.vscode-test}
CS=$VT/cs
# Pins. code-server 4.100.3 is the last release that runs on Node 20 (4.105 wants Node 22), and
# it carries VS Code 1.100.3 - so engines.vscode must stay <= ^1.100.0.
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
# The @vscode/ripgrep version that code-server 4.100.3's VS Code depends on; its postinstall looks
# for this tarball in $TMPDIR before trying to download it from GitHub (unreachable here).
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
STAMP="$CS/.setup-ok"
WANT="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION"

# Anything code-server runs here (its --version check writes a config.yaml) stays out of ~.
export XDG_CONFIG_HOME=$VT/xdg/config XDG_DATA_HOME=$VT/xdg/data XDG_CACHE_HOME=$VT/xdg/cache

# One installer at a time: parallel test processes on a fresh machine would otherwise run two npm
# installs into the same folder. The second waits here, then finds everything installed.
mkdir -p "$VT"
exec 9>"$VT/.setup.lock"
flock 9

T0=$(date +%s)
say() { echo "[vscode-setup] $*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# ---- 1. Debian packages -------------------------------------------------------------------
# chromium: the browser Playwright drives (Playwright's own browser download is unreachable).
# ripgrep: VS Code's file search (Ctrl+P) needs rg; we feed Debian's to @vscode/ripgrep.
# libkrb5-dev: code-server's `kerberos` dependency has to build from source (its prebuilt
#   download fails), and needs gssapi headers.
# build-essential/python3: node-gyp for kerberos and node-pty (usually already on the machine).
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
pkg_installed chromium || missing+=(chromium)
pkg_installed ripgrep || missing+=(ripgrep)
pkg_installed libkrb5-dev || missing+=(libkrb5-dev)
pkg_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)   # legible screenshots
{ command -v make && command -v g++; } >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  T=$(date +%s)
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  say "apt-get install ${missing[*]} ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "apt: $(elapsed "$T")"
fi
[ -x /usr/bin/chromium ] || { say "ERROR: /usr/bin/chromium missing after apt install"; exit 1; }
command -v rg >/dev/null || { say "ERROR: rg missing after apt install"; exit 1; }

# ---- 2. code-server + playwright-core (npm, into $CS) ---------------------------------------
cs_ok() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] &&
    [ -f "$CS/node_modules/code-server/out/node/entry.js" ] &&
    [ -f "$CS/node_modules/playwright-core/package.json" ]
}
if [ "${SETUP_FORCE:-0}" = 1 ] || ! cs_ok; then
  T=$(date +%s)
  say "npm install $WANT into $CS (about a minute) ..."
  rm -rf "$CS/node_modules" "$CS/package-lock.json" "$STAMP"
  mkdir -p "$CS" "$VT/tmp"
  # Our own TMPDIR, so the ripgrep tarball below is where @vscode/ripgrep's postinstall looks
  # (os.tmpdir()/vscode-ripgrep-cache-<version>/) and build litter stays in .vscode-test.
  export TMPDIR=$VT/tmp
  RGC=$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION
  mkdir -p "$RGC/x" && cp "$(command -v rg)" "$RGC/x/rg"
  tar czf "$RGC/$RIPGREP_ASSET" -C "$RGC/x" rg
  cat > "$CS/package.json" <<EOF
{ "name": "vscode-test-cs", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION", "playwright-core": "$PLAYWRIGHT_VERSION" } }
EOF
  # unsafe_perm: code-server's postinstall refuses to run as root otherwise.
  # yes: node-pty's install runs `npx node-gyp`, which would otherwise prompt (and hang in CI).
  # --prefix: so an outer `npm run` (which exports npm_config_* for the project) cannot redirect us.
  if ! npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --prefix "$CS" --no-audit --no-fund --loglevel=warn >"$VT/cs-install.log" 2>&1; then
    tail -40 "$VT/cs-install.log"; say "ERROR: npm install failed (full log: $VT/cs-install.log)"; exit 1
  fi
  # If a @vscode/ripgrep copy ended up without its binary (e.g. its version drifted from the one
  # pre-seeded above and the download was skipped/failed quietly), give it Debian's rg.
  while IFS= read -r d; do
    [ -x "$d/bin/rg" ] || { mkdir -p "$d/bin"; cp "$(command -v rg)" "$d/bin/rg"; say "patched rg into $d"; }
  done < <(find "$CS/node_modules" -type d -path '*/@vscode/ripgrep' 2>/dev/null)
  got=$(node "$CS/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | grep -E '^[0-9]' | head -1 || true)
  case $got in "$CODE_SERVER_VERSION"*) ;; *) say "ERROR: code-server --version printed '$got'"; exit 1 ;; esac
  echo "$WANT" > "$STAMP"
  say "npm: $(elapsed "$T") ($(du -sh "$CS/node_modules" | cut -f1))"
fi

# VSCODE_SETUP_QUIET=1 (the harness calls us before every run): say nothing when nothing was done.
[ "${VSCODE_SETUP_QUIET:-0}" = 1 ] && [ "$(( $(date +%s) - T0 ))" -lt 2 ] ||
  say "ready in $(elapsed "$T0"): $WANT, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
