#!/usr/bin/env bash
# Times what the root README leads a new user through, from a fresh clone of this commit: the model and one
# prediction, the batch job, the streaming pipeline on the npm emulators, the web service and a curl. Each step prints
# the seconds since the clone began. The clone (and the emulators it starts) is removed at the end.
#
#   tests/docs/time-front-door.sh          # needs the .NET 10 SDK, Node.js/npm, curl, and port 9696 free
#
# The NuGet packages come from the machine's cache when they are in it; say so when quoting the figure.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
commit="$(git -C "$src" rev-parse HEAD)"
clone="$(mktemp -d)/streampredict"
serve=""
cleanup() {
    if [[ -n "$serve" ]]; then kill -TERM -- "-$serve" 2>/dev/null || true; fi
    if [[ -f "$clone/infra/emulators/.state/kinesis.pid" ]]; then "$clone/infra/emulators/stop.sh" || true; fi
    rm -rf "$(dirname "$clone")"
}
trap cleanup EXIT
start=$(date +%s%N)
step() { local ds=$(( ($(date +%s%N) - start) / 100000000 )); printf '%5d.%d s  %s\n' $((ds / 10)) $((ds % 10)) "$1" >&2; }
cli() { dotnet run --project src/StreamPredict.Cli -- "$@"; }
forest=tests/StreamPredict.Tests/TestData/course-forest.model.json
sample=src/StreamPredict.Cli/SampleData/green_tripdata_2021-02.rides.csv.gz
ride='{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}'

git clone -q "$src" "$clone" && git -C "$clone" checkout -q "$commit"
cd "$clone"
step "cloned $commit"
cli model show "$forest" > /dev/null
cli predict --model "$forest" --ride "$ride"
step "model show + predict (includes restore and build)"
cli score --model "$forest" --input "$sample" --output "$clone/out/predictions.parquet" | grep -E '^(rows_in|scored|conserved):'
step "batch: score the sample month"
eval "$(S3_BUCKETS=streampredict-models INITIALIZE_STREAMS=ride_events:1,ride_predictions:1,ride_rejections:1 infra/emulators/start.sh)"
step "emulators started"
cli model push "$forest" --bucket streampredict-models --run-id readme > /dev/null
cli produce --data "$sample" --count 100 | grep -E '^sent:'
MODEL_BUCKET=streampredict-models RUN_ID=readme REJECTIONS_STREAM_NAME=ride_rejections cli run --max-records 100 | grep -E '^(records_done|function_errors):'
cli tail --max 1
infra/emulators/stop.sh
step "streaming: push, produce, run, tail"
MODEL_LOCATION="$forest" setsid dotnet run --project src/StreamPredict.Cli -- serve > "$clone/serve.log" 2>&1 &
serve=$!
for _ in $(seq 1 240); do curl -sf 127.0.0.1:9696/v2/health/ready > /dev/null && break; sleep 0.5; done
curl -s -X POST 127.0.0.1:9696/predict -H 'Content-Type: application/json' -d "$ride"; echo
step "web: serve + curl"
