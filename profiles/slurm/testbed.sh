#!/usr/bin/env bash
# A throw-away single-node SLURM cluster WITH accounting, to test profiles/slurm against a real
# scheduler (tests/test_slurm.py; .ci/run starts it before the tests and stops it at exit).
#
#   profiles/slurm/testbed.sh up       # install if needed, configure, start, wait, smoke-test
#   eval "$(profiles/slurm/testbed.sh env)"   # point sbatch/sacct/... (and pytest) at it
#   profiles/slurm/testbed.sh status   # daemons, sinfo, sacct
#   profiles/slurm/testbed.sh down     # scancel its jobs, stop its daemons by PID, delete its state
#
# It lives next to the profile it exists to test (profiles/slurm/), not under .ci/: a developer
# runs it by hand as well, and the profile's README points at it.
#
# What it does (Debian 12, as root, with or without systemd; nothing is installed as a service):
#  - installs the Debian packages slurm-wlm, slurmdbd, munge and mariadb-server if a program is
#    missing (apt-get; service start-up during the install is suppressed with policy-rc.d);
#  - writes every file it needs (slurm.conf, slurmdbd.conf, a fresh munge key, the MariaDB data
#    directory, spool dirs, logs, PID files) under one throw-away directory,
#    $SLURM_TESTBED_DIR (default /tmp/nn-slurm-testbed), never into the repository or /etc;
#  - starts munged, mariadbd, slurmdbd, slurmctld and slurmd as background processes in their own
#    session, records their PIDs in $SLURM_TESTBED_DIR/run/*.pid, and waits until sinfo shows the
#    node idle and sacct/sacctmgr answer from slurmdbd; then it submits one tiny job and waits
#    until sacct reports it COMPLETED;
#  - clients find it through SLURM_CONF=$SLURM_TESTBED_DIR/etc/slurm.conf (`env` prints the line)
#    AND through a symlink /etc/slurm/slurm.conf -> that file (created only if /etc/slurm/slurm.conf
#    does not exist, removed by `down`). The link is needed: inside a job, the SLURM executor's
#    jobstep plugin (snakemake-executor-plugin-slurm-jobstep 0.6.1) removes every SLURM_* variable
#    except a few job ids before it calls `srun`, SLURM_CONF included, so `srun` only finds a
#    configuration at the compiled-in default path (as on real clusters: /etc/slurm/slurm.conf or
#    configless). Without the link every job fails with "srun: fatal: Could not establish a
#    configuration source".
#
# The cluster: one node (this machine's CPUs and memory, as `slurmd -C` reports them), one
# default partition `main`, cluster name `nntest`, accounting in slurmdbd + MariaDB (so `sacct`
# works, as on a real cluster: the SLURM executor plugin's default status command is sacct).
# ProctrackType=proctrack/linuxproc and TaskPlugin=task/none: no cgroups needed (containers).
# Every daemon runs as root; the ports are 6817-6819 (SLURM) and 3307 (MariaDB, 127.0.0.1 only),
# overridable with SLURM_TESTBED_PORT_BASE (slurmctld; slurmd +1, slurmdbd +2) and
# SLURM_TESTBED_DB_PORT.
#
# `up` is idempotent: if the testbed is already up and answering it only prints how to reach it;
# if it is half up (a daemon died) it is torn down and started afresh. `down` is idempotent too,
# and only removes a directory that carries the testbed's marker file.
set -euo pipefail

D=${SLURM_TESTBED_DIR:-/tmp/nn-slurm-testbed}
PORT_BASE=${SLURM_TESTBED_PORT_BASE:-6817}
DB_PORT=${SLURM_TESTBED_DB_PORT:-3307}
CLUSTER=nntest
PARTITION=main
MARKER=.nn-slurm-testbed
SYSTEM_CONF=/etc/slurm/slurm.conf # the compiled-in default that srun inside a job falls back to
DAEMONS=(munged mariadbd slurmdbd slurmctld slurmd) # start order; stopped in reverse
PACKAGES=(slurm-wlm slurmdbd munge mariadb-server)
PROGRAMS=(munged mariadbd mariadb-install-db mariadb mariadb-admin slurmdbd slurmctld slurmd sbatch sacct sacctmgr sinfo squeue scancel)

export SLURM_CONF="$D/etc/slurm.conf"

say() { printf 'testbed: %s\n' "$*" >&2; }
die() {
    printf 'testbed: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
}

# ------------------------------------------------------------------ helpers

pidfile() { echo "$D/run/$1.pid"; }

# the PID recorded for a daemon, if that process is still alive and is that program
alive_pid() {
    local f pid exe
    f=$(pidfile "$1")
    [[ -f $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
    # (Debian's slurmctld/slurmd are symlinks through /etc/alternatives)
    [[ ${exe% (deleted)} == "$(readlink -f "$(command -v "$1")")" ]] || return 1
    echo "$pid"
}

STARTED=() # daemons started by this `up`: a wait gives up as soon as one of them has died

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND (quietly) until it succeeds
wait_for() {
    local seconds=$1 what=$2 d
    shift 2
    local end=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        for d in "${STARTED[@]}"; do
            alive_pid "$d" >/dev/null || {
                say "$d died while waiting for: $what (see $D/log/$d.out)"
                return 1
            }
        done
        if ((SECONDS >= end)); then
            say "timed out after ${seconds}s waiting for: $what"
            return 1
        fi
        sleep 0.5
    done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME COMMAND...: run a daemon in the foreground of its own session, in the background
# of this script; its output goes to log/NAME.out and its PID to run/NAME.pid
start() {
    local name=$1
    shift
    setsid "$@" </dev/null >"$D/log/$name.out" 2>&1 &
    echo $! >"$(pidfile "$name")"
    sleep 0.2
    alive_pid "$name" >/dev/null || {
        tail -n 20 "$D/log/$name.out" >&2 || true
        die "$name did not start (see $D/log/$name.out)"
    }
    STARTED+=("$name")
}

show_logs() {
    local f
    for f in "$D"/log/*; do
        [[ -s $f ]] || continue
        say "---- last lines of $f"
        tail -n 15 "$f" >&2
    done
}

install_packages() {
    local missing=() p
    for p in "${PROGRAMS[@]}"; do
        command -v "$p" >/dev/null || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install SLURM, slurmdbd, munge and MariaDB by hand"
    say "installing ${PACKAGES[*]} (missing: ${missing[*]})"
    # no service may start during the install (on a machine with systemd the packages would
    # otherwise start their own munged/slurmctld/mariadb on the same ports)
    local policy=/usr/sbin/policy-rc.d made_policy=""
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        made_policy=1
    fi
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" ||
            { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"; }
    } >"${TMPDIR:-/tmp}/nn-slurm-testbed-apt.log" 2>&1 || rc=$?
    [[ -n $made_policy ]] && rm -f "$policy"
    ((rc == 0)) || {
        tail -n 20 "${TMPDIR:-/tmp}/nn-slurm-testbed-apt.log" >&2
        die "apt-get install failed (log: ${TMPDIR:-/tmp}/nn-slurm-testbed-apt.log)"
    }
}

# ------------------------------------------------------------------ configuration

write_config() {
    local node host dbpass
    node=$(slurmd -C | head -n 1) # NodeName=<host> CPUs=.. Boards=.. ... RealMemory=..
    [[ $node == NodeName=* ]] || die "slurmd -C printed no node line: $node"
    host=${node%% *}
    host=${host#NodeName=}
    dbpass=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

    cat >"$D/etc/slurm.conf" <<EOF
# throw-away single-node cluster written by profiles/slurm/testbed.sh; removed by 'down'
ClusterName=$CLUSTER
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.socket
SlurmctldPort=$PORT_BASE
SlurmdPort=$((PORT_BASE + 1))
StateSaveLocation=$D/spool/ctld
SlurmdSpoolDir=$D/spool/d
SlurmctldPidFile=$D/run/slurmctld.own.pid
SlurmdPidFile=$D/run/slurmd.own.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
PlugStackConfig=$D/etc/plugstack.conf
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
# a cancelled job is gone after 5 s, not the default 30
KillWait=5
# accounting through slurmdbd, as on a real cluster; keep the job comment (the SLURM executor
# puts "rule_<rule>_wildcards_<...>" there) so sacct can say which rule a job ran
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$((PORT_BASE + 2))
# for slurmdbd connections, clients take the munge socket from here, not from AuthInfo
AccountingStoragePass=$D/munge/munge.socket
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
$node State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    : >"$D/etc/plugstack.conf"

    # slurmdbd.conf sits next to slurm.conf (SLURM_CONF's directory) and must be mode 600
    (
        umask 077
        cat >"$D/etc/slurmdbd.conf" <<EOF
# written by profiles/slurm/testbed.sh; removed by 'down'
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
DbdHost=localhost
DbdPort=$((PORT_BASE + 2))
SlurmUser=root
PidFile=$D/run/slurmdbd.own.pid
LogFile=$D/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$dbpass
StorageLoc=slurm_acct_db
EOF
    )
    echo "$dbpass" >"$D/etc/.dbpass"
    chmod 600 "$D/etc/.dbpass"
}

# ------------------------------------------------------------------ up / down

failed_up() {
    local rc=$?
    trap - EXIT
    ((rc == 0)) && rc=1
    say "start-up failed; the daemons' logs:"
    show_logs
    [[ -n ${SLURM_TESTBED_KEEP_FAILED:-} ]] || down || true
    exit "$rc"
}

answering() {
    local d
    for d in "${DAEMONS[@]}"; do alive_pid "$d" >/dev/null || return 1; done
    [[ $(sinfo -h -N -o %t 2>/dev/null) =~ ^(idle|mix|alloc) ]] || return 1
    sacct -n -X -S now-1minutes >/dev/null 2>&1
}

print_env() {
    cat <<EOF
The throw-away SLURM testbed is up (cluster $CLUSTER, partition $PARTITION, one node; state in $D).
Reach it with:
    export SLURM_CONF=$SLURM_CONF
    sinfo; squeue; sacct -X -o JobID,JobName,Comment,Partition,ReqMem,Timelimit,ReqCPUS,State
    snakemake --profile profiles/slurm ...      # from the checkout, with the venv active
    pytest -m slurm                             # tests/test_slurm.py (finds it by itself)
Stop it (scancel its jobs, stop its daemons, delete $D) with:
    profiles/slurm/testbed.sh down
EOF
}

up() {
    [[ $(id -u) == 0 ]] || die "run as root (it starts munged, slurmd and MariaDB as root)"
    if [[ -e $D && ! -e $D/$MARKER ]]; then
        die "$D exists and is not a testbed directory; set SLURM_TESTBED_DIR to another path"
    fi
    if [[ -e $D/$MARKER ]]; then
        if answering; then
            say "already up"
            print_env
            return 0
        fi
        say "found a half-started testbed in $D: tearing it down first"
        down
    fi
    install_packages
    local port
    for port in "$PORT_BASE" $((PORT_BASE + 1)) $((PORT_BASE + 2)) "$DB_PORT"; do
        port_in_use "$port" && die "port $port is in use (another SLURM or MariaDB?); set SLURM_TESTBED_PORT_BASE / SLURM_TESTBED_DB_PORT"
    done
    if [[ -e $SYSTEM_CONF || -L $SYSTEM_CONF ]] && [[ $(readlink "$SYSTEM_CONF") != "$D/etc/slurm.conf" ]]; then
        die "$SYSTEM_CONF exists: this machine has its own SLURM configuration, which the testbed would shadow"
    fi
    local t0=$SECONDS
    mkdir -p "$D"
    touch "$D/$MARKER"
    mkdir -p "$D"/{etc,munge,mysql,run,log,spool/ctld,spool/d}
    chmod 755 "$D/munge" # munged wants its socket directory traversable
    trap failed_up EXIT # any failure from here on: show the logs, tear down what started

    write_config
    mkdir -p "$(dirname "$SYSTEM_CONF")"
    ln -sfn "$D/etc/slurm.conf" "$SYSTEM_CONF"

    # munge: a fresh key, its own socket
    dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$D/munge/munge.key"
    start munged munged --foreground --force --socket="$D/munge/munge.socket" \
        --key-file="$D/munge/munge.key" --pid-file="$D/munge/munged.pid" \
        --log-file="$D/log/munged.log" --seed-file="$D/munge/munged.seed"
    wait_for 20 "munge socket" test -S "$D/munge/munge.socket"

    # MariaDB: its own data directory, TCP on 127.0.0.1 only, a user for slurmdbd
    mariadb-install-db --no-defaults --user=root --datadir="$D/mysql" \
        --auth-root-authentication-method=socket --skip-test-db >"$D/log/mariadb-install-db.out" 2>&1 ||
        die "mariadb-install-db failed (see $D/log/mariadb-install-db.out)"
    start mariadbd mariadbd --no-defaults --user=root --datadir="$D/mysql" \
        --socket="$D/run/mysqld.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
        --pid-file="$D/run/mariadbd.own.pid" --log-error="$D/log/mariadbd.log" \
        --innodb-buffer-pool-size=64M
    wait_for 60 "MariaDB" mariadb-admin --no-defaults --socket="$D/run/mysqld.sock" ping
    local pw
    pw=$(<"$D/etc/.dbpass")
    mariadb --no-defaults --socket="$D/run/mysqld.sock" -u root -e "
        CREATE USER 'slurm'@'localhost' IDENTIFIED BY '$pw';
        CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
        GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
        GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

    # slurmdbd (reads slurmdbd.conf from SLURM_CONF's directory), then the controller and the node
    start slurmdbd slurmdbd -D
    wait_for 60 "slurmdbd (sacctmgr)" sacctmgr -n list cluster
    start slurmctld slurmctld -D
    start slurmd slurmd -D
    # shellcheck disable=SC2016 # expanded by the inner bash, on purpose
    wait_for 60 "the node to be idle (sinfo)" bash -c '[[ $(sinfo -h -N -o %t) == idle ]]'
    wait_for 60 "cluster $CLUSTER registered in slurmdbd" bash -c "sacctmgr -n -P list cluster format=cluster | grep -qx $CLUSTER"
    wait_for 30 "sacct" sacct -n -X -S now-1minutes

    # one tiny job through the whole chain (sbatch -> slurmd -> slurmdbd -> sacct)
    local job
    job=$(sbatch --parsable -p "$PARTITION" -t 1 --mem 10 -J testbed-smoke -o /dev/null --wrap true)
    wait_for 60 "smoke job $job COMPLETED in sacct" bash -c "[[ \$(sacct -n -X -P -j $job -o State) == COMPLETED ]]"
    trap - EXIT
    say "up in $((SECONDS - t0)) s (after the package check)"
    print_env
}

down() {
    if [[ ! -e $D/$MARKER ]]; then
        [[ -e $D ]] && die "$D is not a testbed directory; not touching it"
        say "not up (no $D)"
        return 0
    fi
    STARTED=() # stopping daemons on purpose: no "died while waiting"
    # first the testbed's own jobs (their slurmstepd processes would outlive slurmd)
    if alive_pid slurmctld >/dev/null; then
        local jobs
        jobs=$(timeout 20 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ') || jobs=""
        if [[ -n ${jobs// /} ]]; then
            say "cancelling jobs: $jobs"
            # shellcheck disable=SC2086
            timeout 20 scancel $jobs 2>/dev/null || true
            # shellcheck disable=SC2016 # expanded by the inner bash, on purpose
            wait_for 30 "cancelled jobs to end" bash -c '[[ -z $(squeue -h -o %A) ]]' || true
        fi
    fi
    local i name pid
    for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
        name=${DAEMONS[i]}
        pid=$(alive_pid "$name") || continue
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_for 20 "$name to exit" bash -c "! kill -0 $pid"; then
            say "killing $name (pid $pid)"
            kill -KILL "$pid" 2>/dev/null || true
            wait_for 10 "$name to die" bash -c "! kill -0 $pid" || true
        fi
    done
    if [[ -L $SYSTEM_CONF && $(readlink "$SYSTEM_CONF") == "$D/etc/slurm.conf" ]]; then
        rm -f "$SYSTEM_CONF"
    fi
    rm -rf "$D"
    say "down; removed $D and the link $SYSTEM_CONF"
}

status() {
    [[ -e $D/$MARKER ]] || {
        say "not up (no $D)"
        return 1
    }
    local d rc=0
    for d in "${DAEMONS[@]}"; do
        if pid=$(alive_pid "$d"); then echo "$d: running (pid $pid)"; else
            echo "$d: NOT running"
            rc=1
        fi
    done
    echo "SLURM_CONF=$SLURM_CONF"
    timeout 10 sinfo || rc=1
    timeout 10 sacct -X -S now-1hours -o JobID,JobName%20,Comment%40,Partition,ReqMem,Timelimit,ReqCPUS,State || rc=1
    return $rc
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
env) echo "export SLURM_CONF=$SLURM_CONF" ;;
*)
    usage
    exit 2
    ;;
esac
