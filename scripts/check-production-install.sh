#!/usr/bin/env bash
# The production path on a clean copy: `npm run build`, then only dist/ + the package files + the data folders
# (locales, content, public) in a temporary folder, `npm ci --omit=dev` there, start `node dist/src/main.js`,
# wait for /healthz, probe, stop. Proves the compiled server needs no devDependency (no tsc, no tsx).
# Usage: scripts/check-production-install.sh   (or under another Node: scripts/with-node.sh 24 scripts/check-production-install.sh)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/probe-server.sh
source "$repo/scripts/lib/probe-server.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cxt-prod-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm run --silent build
mkdir -p "$work/app/dist" "$work/data"
cp package.json package-lock.json "$work/app/"
cp -R dist/src dist/dialogs "$work/app/dist/"
cp -R locales content public "$work/app/"

cd "$work/app"
echo "check-production-install: npm ci --omit=dev in $work/app (node $(node -v))"
npm ci --omit=dev --no-audit --no-fund
for dev in vitest playwright-core node-nlp; do # (typescript comes in as a peer of i18next)
  if [[ -e node_modules/$dev ]]; then echo "check-production-install: devDependency $dev was installed" >&2; exit 1; fi
done
probe_server "$work/app" "$work/data" node -e 'fetch("http://127.0.0.1:"+process.env.PORT+"/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))'
echo "check-production-install: OK"
