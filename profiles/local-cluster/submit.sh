#!/usr/bin/env bash
# Fake "cluster" submit for the tests: record the job's properties, then run Snakemake's
# jobscript (its last argument) in the background. Prints the job id "<pid>:<log prefix>".
set -euo pipefail
jobscript=${*: -1}
name=$(basename "$jobscript" .sh)
logdir="$PWD/logs/cluster"
mkdir -p "$logdir"
grep -m1 '^# properties = ' "$jobscript" | sed 's/^# properties = //' >>"$logdir/submissions.jsonl"
nohup bash -c 'bash "$1" > "$2.out" 2>&1; echo $? > "$2.rc"' _ "$jobscript" "$logdir/$name" \
    >/dev/null 2>&1 &
echo "$!:$logdir/$name"
