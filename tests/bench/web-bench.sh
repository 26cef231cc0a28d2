#!/usr/bin/env bash
# The web service's benchmark: the NativeAOT build under wrk, with the linear model and then the course forest.
#   tests/bench/web-bench.sh [--no-publish]        (env: DURATION=10s CONNECTIONS=16 THREADS=2 COLD_RUNS=10)
# For each model: single-ride POST /predict at 16 connections (req/s, p50/p99, RSS, CPU per request), then a
# 1,000-ride batch on one connection (latency). Then the cold start: process start to the first answer, with the
# model read from the S3 emulator. Prints one "name: value" line per figure, and the load average before and after.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/artifacts/web-bench"
mkdir -p "$out"
duration="${DURATION:-10s}" connections="${CONNECTIONS:-16}" threads="${THREADS:-2}" cold_runs="${COLD_RUNS:-10}"

echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
if ! command -v wrk >/dev/null; then
  echo "installing Debian's wrk" >&2
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk >/dev/null; }
fi

if [[ "${1:-}" != "--no-publish" ]]; then
  # The same publish as the Dockerfile and the Lambda Makefile (a test compares them).
  dotnet publish src/StreamPredict.Web -c Release -r linux-x64 -p:PublishAot=true -o "$out/publish" >"$out/publish.log"
  grep -c "warning" "$out/publish.log" | sed 's/^/publish_warnings: /' || true
fi
bin="$out/publish/streampredict-web"

# The linear model: our trainer on the bundled TLC sample (a full month when ../shared/data/tlc has it).
train_data="src/StreamPredict.Cli/SampleData/green_tripdata_2021-01.train.csv.gz"
[[ -f ../shared/data/tlc/green_tripdata_2021-01.filtered.csv.gz ]] && train_data="../shared/data/tlc/green_tripdata_2021-01.filtered.csv.gz"
dotnet run --project src/StreamPredict.Cli -- train --data "$train_data" --out "$out/linear.model.json" --run-id bench-linear >"$out/train.log"
forest="tests/StreamPredict.Tests/TestData/course-forest.model.json"

cat >"$out/ride.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}'
LUA
python3 - "$out/batch-1000.json" <<'PY'
import json, random, sys
random.seed(7)
rides = [{"PULocationID": random.randint(1, 265), "DOLocationID": random.randint(1, 265), "trip_distance": round(random.uniform(0, 30), 2)} for _ in range(1000)]
open(sys.argv[1], "w").write(json.dumps(rides))
PY
cat >"$out/batch.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = io.open("$out/batch-1000.json", "r")
wrk.body = file:read("*a")
file:close()
LUA

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_ready() {
  for _ in $(seq 1 400); do
    curl -sf -o /dev/null "$1/v2/health/ready" && return 0
    sleep 0.05
  done
  echo "the service never became ready" >&2; return 1
}
# wrk's figures: requests per second, and the 50% and 99% latencies of --latency.
wrk_figure() { awk -v key="$2" '$1 == key {print $2}' "$1"; }

bench_model() {
  local name="$1" model="$2" port pid url
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  MODEL_LOCATION="$model" "$bin" --urls "$url" >"$out/$name.service.log" 2>&1 &
  pid=$!
  wait_ready "$url"
  wrk -t"$threads" -c"$connections" -d3s -s "$out/ride.lua" "$url/predict" >/dev/null   # warm-up
  local cpu0; cpu0="$(cpu_ticks "$pid")"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$out/ride.lua" "$url/predict" >"$out/$name.wrk.txt"
  local cpu1; cpu1="$(cpu_ticks "$pid")"
  local requests; requests="$(awk '/requests in/ {print $1}' "$out/$name.wrk.txt")"
  local errors; errors="$(awk '/Non-2xx|Socket errors/ {print}' "$out/$name.wrk.txt")"
  echo "${name}_requests_per_second: $(wrk_figure "$out/$name.wrk.txt" Requests/sec:)"
  echo "${name}_p50: $(wrk_figure "$out/$name.wrk.txt" 50%)"
  echo "${name}_p99: $(wrk_figure "$out/$name.wrk.txt" 99%)"
  echo "${name}_errors: ${errors:-none}"
  echo "${name}_cpu_us_per_request: $(python3 -c "print(round(($cpu1 - $cpu0) / $(getconf CLK_TCK) / $requests * 1e6, 1))")"
  echo "${name}_rss_mb_peak: $(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
  echo "${name}_rss_mb_now: $(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
  wrk -t1 -c1 -d5s --latency -s "$out/batch.lua" "$url/predict" >"$out/$name.batch.wrk.txt"
  echo "${name}_batch_1000_p50: $(wrk_figure "$out/$name.batch.wrk.txt" 50%)"
  echo "${name}_batch_1000_p99: $(wrk_figure "$out/$name.batch.wrk.txt" 99%)"
  kill -TERM "$pid"
  wait "$pid" || true
}

bench_model linear "$out/linear.model.json"
bench_model forest "$forest"

# Cold start: a fresh process per run, the model (the course forest) from the S3 emulator, timed from the start of
# the process to the first 200 from /predict (polled every millisecond).
state="$(mktemp -d)"
eval "$(STATE_DIR="$state" S3_BUCKETS=bench-models WATCH_PID=$$ infra/emulators/start.sh)"
trap 'STATE_DIR="$state" infra/emulators/stop.sh >/dev/null 2>&1 || true' EXIT
dotnet run --project src/StreamPredict.Cli -- model push "$forest" --bucket bench-models --run-id bench-forest >/dev/null
MODEL_BUCKET=bench-models RUN_ID=bench-forest python3 - "$bin" "$cold_runs" <<'PY'
import os, socket, statistics, subprocess, sys, time, urllib.request
binary, runs = sys.argv[1], int(sys.argv[2])
body = b'{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}'
times = []
for _ in range(runs):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen([binary, "--urls", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            request = urllib.request.Request(url + "/predict", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    break
        except Exception:
            time.sleep(0.001)
    times.append((time.perf_counter() - started) * 1000)
    process.terminate(); process.wait()
times.sort()
print(f"cold_start_first_answer_ms_median: {statistics.median(times):.1f}")
print(f"cold_start_first_answer_ms_p90: {times[int(0.9 * (len(times) - 1))]:.1f}")
print(f"cold_start_runs: {len(times)}")
PY
echo "binary_mb: $(du -m "$bin" | cut -f1)"
echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)"
