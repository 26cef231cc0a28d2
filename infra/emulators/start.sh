#!/usr/bin/env bash
# Starts kinesis-local (kinesis-mock) and s3rver on free loopback ports, waits until both answer,
# records their process ids under $STATE_DIR, and prints the environment to use as `export` lines.
#
#   eval "$(infra/emulators/start.sh)"      # ... then infra/emulators/stop.sh
#
# Optional inputs:
#   STATE_DIR           where pids, logs and S3 data live (default: infra/emulators/.state); use a different
#                       directory per instance to run several at once
#   AWS_REGION          region to report and to use as kinesis-mock's default (default: us-east-1)
#   INITIALIZE_STREAMS  passed to kinesis-mock, e.g. "rides:2,predictions:1"
#   S3_BUCKETS          comma-separated buckets s3rver creates at start-up, e.g. "models"
#   WATCH_PID           a process id (e.g. a test host): when it exits, the emulators are stopped too, so a killed
#                       test run cannot leave them behind
# Only the export lines go to stdout; progress and errors go to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${STATE_DIR:-$here/.state}"
region="${AWS_REGION:-us-east-1}"
log() { echo "emulators: $*" >&2; }

mkdir -p "$state_dir" "$here/.state"
state_dir="$(cd "$state_dir" && pwd)"

for name in kinesis s3 watch; do
    pid_file="$state_dir/$name.pid"
    if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        log "already running with state in $state_dir (pid $(cat "$pid_file")); run stop.sh or set another STATE_DIR"
        exit 1
    fi
done

# npm ci when node_modules is missing or older than the lock. The lock file serialises concurrent starts,
# because npm ci deletes node_modules first.
(
    flock 9
    if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
        log "installing emulator packages (npm ci)"
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
) 9>"$here/.state/npm-ci.lock"

# Ask the kernel for three distinct free ports at once (all sockets stay open until all are chosen).
read -r kinesis_port kinesis_tls_port s3_port < <(node -e '
const net = require("net");
const servers = [0, 1, 2].map(() => net.createServer().listen(0, "127.0.0.1"));
Promise.all(servers.map(s => new Promise(r => s.on("listening", r)))).then(() => {
  console.log(servers.map(s => s.address().port).join(" "));
  servers.forEach(s => s.close());
});')

rm -rf "$state_dir/s3"
mkdir -p "$state_dir/s3"

# kinesis-mock reads server.json (its TLS certificate) from the working directory.
# Its default SHARD_LIMIT (50 per account) is AWS's default quota; one test run creates more streams than that on a
# single emulator, so the local default is higher (override with SHARD_LIMIT).
(
    cd "$here/node_modules/kinesis-local"
    KINESIS_MOCK_PLAIN_PORT="$kinesis_port" KINESIS_MOCK_TLS_PORT="$kinesis_tls_port" AWS_REGION="$region" \
        SHARD_LIMIT="${SHARD_LIMIT:-5000}" exec setsid node main.js
) >"$state_dir/kinesis.log" 2>&1 </dev/null &
echo $! >"$state_dir/kinesis.pid"

s3_args=(--directory "$state_dir/s3" --address 127.0.0.1 --port "$s3_port" --silent)
if [[ -n "${S3_BUCKETS:-}" ]]; then
    IFS=',' read -ra buckets <<<"$S3_BUCKETS"
    for bucket in "${buckets[@]}"; do s3_args+=(--configure-bucket "$bucket"); done
fi
setsid node "$here/node_modules/s3rver/bin/s3rver.js" "${s3_args[@]}" >"$state_dir/s3.log" 2>&1 </dev/null &
echo $! >"$state_dir/s3.pid"

# Both answer plain HTTP once ready: kinesis-mock a (loosely signed; it never checks) ListStreams call, s3rver
# any request at all.
if ! node -e '
const [kinesis, s3] = process.argv.slice(1);
const deadline = Date.now() + 90000;
const kinesisReady = () => fetch(kinesis, { method: "POST", body: "{}", headers: {
  "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Kinesis_20131202.ListStreams",
  "X-Amz-Date": "20200101T000000Z",
  "Authorization": "AWS4-HMAC-SHA256 Credential=S3RVER/20200101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0" }
}).then(r => r.ok);
const s3Ready = () => fetch(s3).then(() => true);
(async () => {
  for (const ready of [kinesisReady, s3Ready]) {
    for (;;) {
      if (await ready().catch(() => false)) break;
      if (Date.now() > deadline) { console.error("timed out waiting for " + ready.name); process.exit(1); }
      await new Promise(r => setTimeout(r, 200));
    }
  }
})();' "http://127.0.0.1:$kinesis_port/" "http://127.0.0.1:$s3_port/"; then
    log "emulators did not start; logs:"
    tail -n 20 "$state_dir/kinesis.log" "$state_dir/s3.log" >&2 || true
    STATE_DIR="$state_dir" "$here/stop.sh"
    exit 1
fi

if [[ -n "${WATCH_PID:-}" ]]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; STATE_DIR="$2" "$3"' \
        emulator-watch "$WATCH_PID" "$state_dir" "$here/stop.sh" >/dev/null 2>&1 </dev/null &
    echo $! >"$state_dir/watch.pid"
fi

log "kinesis-local on $kinesis_port, s3rver on $s3_port (state in $state_dir)"
# s3rver only accepts its built-in S3RVER/S3RVER key; kinesis-mock accepts any key.
cat <<EXPORTS
export AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:$kinesis_port
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3_port
export AWS_REGION=$region
export AWS_ACCESS_KEY_ID=S3RVER
export AWS_SECRET_ACCESS_KEY=S3RVER
EXPORTS
