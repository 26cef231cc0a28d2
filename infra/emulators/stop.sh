#!/usr/bin/env bash
# Ends exactly the processes start.sh recorded in $STATE_DIR (default: infra/emulators/.state), with their children.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${STATE_DIR:-$here/.state}"

for name in kinesis s3; do
    pid_file="$state_dir/$name.pid"
    [[ -f "$pid_file" ]] || continue
    pid="$(cat "$pid_file")"
    # start.sh ran each emulator under setsid, so its pid is also its process-group id; checking the command
    # line first guards against a recycled pid belonging to something else.
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'node'; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
done
rm -rf "$state_dir/s3"
