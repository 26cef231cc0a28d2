#!/usr/bin/env bash
# Times the NativeAOT batch Lambda (src/StreamPredict.BatchFunction) scoring one month per invocation: publishes it with
# its Makefile (what `sam build` runs), serves one event through a minimal Lambda Runtime API (runtime-api-stub.py), and
# prints the time from the event's hand-out to the function's response, the response's counts and the process's peak RSS.
#   tests/bench/batch-aot-bench.sh INPUT.parquet MODEL [RUNS]
# INPUT is scored as green 2021-02 (e.g. the 2.5 M-row file `streampredict bench batch` makes under ~/.cache/streampredict).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
input=$(realpath "$1") model=$(realpath "$2") runs=${3:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
make --no-print-directory --makefile "$root/src/StreamPredict.BatchFunction/Makefile" build-BatchScoringFunction ARTIFACTS_DIR="$work/artifacts" >"$work/make.log"
mkdir -p "$work/in" && ln -s "$input" "$work/in/green_tripdata_2021-02.parquet"
port=$((20000 + RANDOM % 20000))
for ((i = 1; i <= runs; i++)); do
  rm -rf "$work/out"
  /usr/bin/python3 "$root/tests/bench/runtime-api-stub.py" "$port" '{"taxi_type":"green","year":2021,"month":2}' >"$work/api.out" &
  api=$!; sleep 0.5
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:$port INPUT_ROOT="$work/in" OUTPUT_ROOT="$work/out" MODEL_LOCATION="$model" \
    timeout 120 /usr/bin/time -f "%M" -o "$work/rss" "$work/artifacts/bootstrap" >/dev/null 2>"$work/boot.err" &
  fn=$!
  # Once its events are served the stub exits, and the function, its Runtime API gone, exits too (non-zero: expected).
  wait "$api"; wait "$fn" || true
  rss=$(( $(grep -o '^[0-9]*$' "$work/rss" | tail -1) / 1024 ))
  # The stub prints "response after S s: {json}".
  echo "run $i: $(grep -o 'response after [0-9.]* s' "$work/api.out") $(grep -o '"rows_in":[0-9]*,"scored":[0-9]*' "$work/api.out"), peak RSS $rss MB"
done
