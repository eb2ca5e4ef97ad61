#!/usr/bin/env bash
# Status of a job submitted by submit.sh: prints running | success | failed.
# The wrapper writes the exit code before it exits, so "not alive and no exit code" means
# the job was killed (or lost); checking liveness first avoids a race with a finishing job.
pid=${1%%:*}
prefix=${1#*:}
if kill -0 "$pid" 2>/dev/null; then
    echo running
elif [[ -f "$prefix.rc" ]]; then
    if [[ $(cat "$prefix.rc") == 0 ]]; then echo success; else echo failed; fi
else
    echo failed
fi
