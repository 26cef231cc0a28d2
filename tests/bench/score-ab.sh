#!/usr/bin/env bash
# Two (or more) builds of `streampredict score` on the same input, alternated run by run so that a drift in the
# machine's speed falls on all of them alike; prints each one's median wall time, CPU time (user + system) and peak RSS.
#   tests/bench/score-ab.sh RUNS INPUT MODEL name="command" [name="command" ...]
#   tests/bench/score-ab.sh 5 big.parquet linear.model.json \
#     old="dotnet /path/to/old/StreamPredict.Cli.dll" new="dotnet src/StreamPredict.Cli/bin/Release/net10.0/StreamPredict.Cli.dll"
set -euo pipefail
runs=$1 input=$2 model=$3; shift 3
declare -A W C R
for ((i=0;i<runs;i++)); do for spec in "$@"; do name=${spec%%=*}; cmd=${spec#*=}
  out=$( { /usr/bin/time -f "%e %U %S %M" $cmd score --input $input --output /tmp/ab-$name.parquet --model $model --run-id r1 --json >/dev/null; } 2>&1 | tail -1)
  read w u s m <<<"$out"; W[$name]+="$w "; C[$name]+="$(awk "BEGIN{print $u+$s}") "; R[$name]+="$((m/1024)) "
done; done
med(){ tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for spec in "$@"; do name=${spec%%=*}; echo "$name: wall $(echo ${W[$name]}|med) s [${W[$name]}] cpu $(echo ${C[$name]}|med) s rss $(echo ${R[$name]}|med) MB"; done
