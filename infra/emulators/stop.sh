#!/usr/bin/env bash
# Ends exactly the processes start.sh recorded in $STATE_DIR (default: infra/emulators/.state), with their children.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${STATE_DIR:-$here/.state}"

# Each emulator's command line must contain its marker, guarding against a recycled pid that now belongs to
# something else. The watcher goes last: it may be the one running this script.
declare -A marker=([kinesis]=main.js [s3]=s3rver [watch]=emulator-watch)
for name in kinesis s3 watch; do
    pid_file="$state_dir/$name.pid"
    [[ -f "$pid_file" ]] || continue
    pid="$(cat "$pid_file")"
    rm -f "$pid_file"
    # start.sh ran each process under setsid, so its pid is also its process-group id: killing the group ends
    # its children too.
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "${marker[$name]}"; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
done
rm -rf "$state_dir/s3"
