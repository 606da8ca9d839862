#!/usr/bin/env bash
# Runs the Dockerfile's instructions on a clean copy of the repository, for machines without a Docker engine.
# Every instruction done below is first checked to appear verbatim in the Dockerfile (so the two cannot drift
# apart silently); the image paths /app and /data are mapped into a temporary folder, and Node is whatever is on
# PATH: run it under the image's major, `scripts/with-node.sh 24 scripts/check-dockerfile.sh`.
# Not reproduced here: the base image itself, `USER node` (the server runs as the calling user), the chown.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/probe-server.sh
source "$repo/scripts/lib/probe-server.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cxt-docker-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

# step '<Dockerfile line>': fails unless the Dockerfile has this exact line; then prints it.
step() {
  grep -qxF -- "$1" "$repo/Dockerfile" || { echo "check-dockerfile: the Dockerfile no longer has the line: $1" >&2; exit 1; }
  echo "check-dockerfile: $1"
}

image_major=$(sed -n 's/^ARG NODE_VERSION=\([0-9]*\)$/\1/p' "$repo/Dockerfile")
if [[ $(node -p 'process.versions.node.split(".")[0]') != "$image_major" ]]; then
  echo "check-dockerfile: the image uses Node $image_major but node on PATH is $(node -v); run under scripts/with-node.sh $image_major" >&2
  exit 1
fi

# Build context: tracked and new files (not .gitignored), minus .dockerignore, as `docker build .` would send.
context="$work/context"
mkdir -p "$context"
(cd "$repo" && git ls-files --cached --others --exclude-standard -z) |
  rsync -a --from0 --files-from=- --exclude-from=<(sed -n 's|^\([^#].*\)$|/\1|p' "$repo/.dockerignore") "$repo/" "$context/"

# --- stage build ---
step 'FROM node:${NODE_VERSION}-bookworm-slim AS build'
step 'WORKDIR /app'
build="$work/build/app"
mkdir -p "$build"
step 'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*'
for tool in python3 make g++; do command -v "$tool" >/dev/null || { echo "check-dockerfile: $tool missing" >&2; exit 1; }; done
step 'COPY package.json package-lock.json ./'
cp "$context/package.json" "$context/package-lock.json" "$build/"
step 'RUN npm ci --no-audit --no-fund'
(cd "$build" && npm ci --no-audit --no-fund)
step 'COPY . .'
cp -R "$context/." "$build/"
step 'RUN npm run build && npm prune --omit=dev --no-audit --no-fund'
(cd "$build" && npm run build && npm prune --omit=dev --no-audit --no-fund)

# --- runtime stage ---
step 'FROM node:${NODE_VERSION}-bookworm-slim'
run="$work/run/app"
mkdir -p "$run"
for line in 'COPY --from=build /app/package.json /app/package-lock.json ./' 'COPY --from=build /app/node_modules ./node_modules' \
  'COPY --from=build /app/dist ./dist' 'COPY --from=build /app/locales ./locales' 'COPY --from=build /app/content ./content' \
  'COPY --from=build /app/public ./public'; do
  step "$line"
  read -r -a words <<<"$line"
  sources=("${words[@]:2:${#words[@]}-3}")
  for source in "${sources[@]}"; do cp -R "$work/build$source" "$run/${words[-1]#./}"; done
done
step 'RUN mkdir -p /data && chown node:node /data'
mkdir -p "$work/run/data"
step 'USER node'
for dev in vitest playwright-core node-nlp; do # (typescript comes in as a peer of i18next)
  if [[ -e $run/node_modules/$dev ]]; then echo "check-dockerfile: devDependency $dev is in the runtime image" >&2; exit 1; fi
done
step '  CMD ["node", "-e", "fetch('"'"'http://127.0.0.1:'"'"' + (process.env.PORT || 3978) + '"'"'/healthz'"'"').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]'
step 'CMD ["node", "--no-deprecation", "dist/src/main.js"]'
export NODE_ENV=production
probe_server "$run" "$work/run/data" node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
echo "check-dockerfile: OK (image size without the base: $(du -sh "$work/run" | cut -f1))"
