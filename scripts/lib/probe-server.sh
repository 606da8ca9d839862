# Sourced by the check scripts: start the compiled server, wait until it is healthy, probe it, stop it.

# A free TCP port on loopback.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# HTTP status of GET <url> (000 when nothing answers).
http_status() { node -e 'fetch(process.argv[1]).then(r=>console.log(r.status),()=>console.log("000"))' "$1"; }

# probe_server <app dir> <data dir> <health command...>: starts `node --no-deprecation dist/src/main.js` in <app dir>
# with PORT and DATA_DIR set, runs the health command until it succeeds (60 s at most), checks /, /readyz and
# /healthz, then stops the server with SIGTERM and expects a clean exit. The port is in $PROBE_PORT.
probe_server() {
  local app_dir=$1 data_dir=$2
  shift 2
  PROBE_PORT=$(free_port)
  local log="$data_dir/../server.log" pid deadline status
  (cd "$app_dir" && exec env PORT="$PROBE_PORT" HOST=127.0.0.1 DATA_DIR="$data_dir" LOG_LEVEL=info \
    node --no-deprecation dist/src/main.js) >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 60))
  until PORT="$PROBE_PORT" "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
      echo "probe: the server did not become healthy; its log:" >&2
      cat "$log" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
  for path in / /readyz /healthz /console/login /webchat/webchat.js; do
    status=$(http_status "http://127.0.0.1:$PROBE_PORT$path")
    if [[ $status != 200 ]]; then
      echo "probe: GET $path answered $status" >&2
      cat "$log" >&2
      kill "$pid"
      return 1
    fi
  done
  grep -q 'generated password' "$log" || { echo "probe: no generated administrator password in the log" >&2; kill "$pid"; return 1; }
  kill -TERM "$pid"
  if ! wait "$pid"; then
    echo "probe: the server did not exit cleanly on SIGTERM" >&2
    cat "$log" >&2
    return 1
  fi
  [[ -f $data_dir/bot.sqlite ]] || { echo "probe: no database in DATA_DIR" >&2; return 1; }
  echo "probe: healthy on port $PROBE_PORT, /, /readyz, /healthz, /console/login, /webchat/webchat.js answered 200, stopped cleanly on SIGTERM"
}
