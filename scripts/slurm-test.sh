#!/bin/bash
# The real-Slurm test of `lagrange sweep` (make slurm-test; docs/sweeps.md).
#
# Installs Debian's slurm-wlm and munge when missing, starts munged, slurmctld and slurmd
# for a one-node cluster on this machine (proctrack/linuxproc, no cgroups; everything under
# a temporary folder, ports 16817/16818), and checks:
#   1. a 4-task array over Tests/Fixtures/sweep/slurm-manifest.yaml (40 runs), submitted
#      with `sbatch --wait`, merges to exactly what a serial `lagrange sweep` gives (every
#      field but timings);
#   2. a submission cancelled after its first recorded run, then submitted again, completes
#      the sweep without repeating a finished run (each run key recorded once) and again
#      merges to the serial result.
# It stops the daemons it started, by their process ids, however it ends. Needs root (apt,
# daemons as root). Exit 0 when both checks pass.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

swift build --product lagrange >/dev/null
lagrange="$root/.build/debug/lagrange"
manifest="$root/Tests/Fixtures/sweep/slurm-manifest.yaml"

work=$(mktemp -d /tmp/lagrange-slurm.XXXXXX)
pids=()
stop_daemons() {
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munged.pid"; do
        if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    sleep 1
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munged.pid"; do
        if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill -9 "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
}
trap stop_daemons EXIT

# munge: its own key and socket, so a munged already running here is left alone.
mkdir -p "$work/state" "$work/spool"
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
munged --force -S "$work/munge.socket" --key-file="$work/munge.key" --log-file="$work/munged.log" \
    --pid-file="$work/munged.pid" --seed-file="$work/munged.seed"

host=$(hostname)
cat > "$work/slurm.conf" <<EOF
ClusterName=lagrange-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
KillWait=10
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$work/slurm.conf"
slurmd -f "$work/slurm.conf"
for _ in $(seq 1 60); do
    if sinfo -h -o %T 2>/dev/null | grep -q idle; then break; fi
    sleep 1
done
sinfo -h -o %T | grep -q idle || { echo "slurm-test: the node did not come up"; tail -20 "$work/slurmd.log" "$work/slurmctld.log"; exit 1; }

# Every field but the timings: `seconds` is the only one that differs between two runs.
normalized() { "$lagrange" sweep --merge "$1" --format json | sed -E 's/"seconds":[^,}]*,?//g'; }

echo "slurm-test: serial run"
"$lagrange" sweep "$manifest" --output "$work/serial" --jobs 1 --quiet
normalized "$work/serial" > "$work/serial.json"
[ "$(wc -l < "$work/serial.json")" -eq 40 ] || { echo "slurm-test: the serial sweep recorded $(wc -l < "$work/serial.json") runs, not 40"; exit 1; }

echo "slurm-test: 4-task array, sbatch --wait"
"$lagrange" sweep "$manifest" --slurm --shards 4 --cpus-per-task 1 --time 00:10:00 --output "$work/array" > "$work/array.sh"
timeout 600 sbatch --wait "$work/array.sh" > /dev/null
normalized "$work/array" > "$work/array.json"
diff "$work/serial.json" "$work/array.json" > /dev/null || { echo "slurm-test: the array's merged results differ from the serial run's"; diff "$work/serial.json" "$work/array.json" | head; exit 1; }
echo "slurm-test: array = serial (40 runs)"

echo "slurm-test: cancel a submission after its first recorded run, then submit again"
"$lagrange" sweep "$manifest" --slurm --shards 4 --cpus-per-task 1 --output "$work/killed" > "$work/killed.sh"
job=$(sbatch --parsable "$work/killed.sh")
recorded() { cat "$work"/killed/*.jsonl 2>/dev/null | grep -c '"run_key"' || true; }
for _ in $(seq 1 1200); do
    if [ "$(recorded)" -ge 1 ]; then break; fi
    sleep 0.05
done
scancel "$job"
for _ in $(seq 1 120); do
    if [ -z "$(squeue -h -j "$job" 2>/dev/null)" ]; then break; fi
    sleep 0.5
done
before=$(recorded)
echo "slurm-test: $before of 40 runs recorded when the job was cancelled"
[ "$before" -lt 40 ] || echo "slurm-test: note: every run finished before the cancellation took effect"
timeout 600 sbatch --wait "$work/killed.sh" > /dev/null
after=$(recorded)
unique=$(cat "$work"/killed/*.jsonl | grep -o '"run_key":"[^"]*"' | sort -u | wc -l)
[ "$after" -eq 40 ] && [ "$unique" -eq 40 ] || { echo "slurm-test: after resubmission $after records, $unique distinct runs (want 40 and 40)"; exit 1; }
normalized "$work/killed" > "$work/killed.json"
diff "$work/serial.json" "$work/killed.json" > /dev/null || { echo "slurm-test: the resumed sweep differs from the serial run"; exit 1; }
echo "slurm-test: resumed sweep = serial, no run repeated ($before recorded before the cancellation)"
echo "slurm-test: passed"
