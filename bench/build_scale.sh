#!/bin/bash
# Builds at scale (bench/README.md, "Build at scale"): N synthetic incidents (bench/synth.py) under git, then,
# one after the other, each a fresh process under /usr/bin/time -v with the process tree's PSS sampled every 2 s:
# failurelog build --engine zensical, failurelog build (MkDocs), the same again (nothing changed), plain mkdocs.
# The two first builds are cold: the repository's .failurelog-cache and .failurelog-build are removed before each, and
# they build with --force (a build whose inputs did not change since the site folder was made is skipped).
# One line per build in WORK_DIR/summary.log; outputs in WORK_DIR/NAME.{out,err,pss}.
#     bench/build_scale.sh WORK_DIR [N]      (N defaults to 10000; Pagefind alone takes about 10 GB there)
set -u
W=${1:?usage: bench/build_scale.sh WORK_DIR [N]}; N=${2:-10000}; mkdir -p "$W"; W=$(cd "$W" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd); PY=$ROOT/.venv/bin/python; FL=$ROOT/.venv/bin/failurelog
export NO_MKDOCS_2_WARNING=1 SOURCE_DATE_EPOCH=1796083200
log() { echo "$(date -u +%T) load=$(cut -d' ' -f1-3 /proc/loadavg) $*" >> "$W/summary.log"; }
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
sample() { # the PSS of process $1 and its descendants, every 2 s, into $2
  local root=$1 out=$2 tot p v; : > "$out"
  while kill -0 "$root" 2>/dev/null; do
    tot=0; for p in "$root" $(descendants "$root"); do
      v=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null); tot=$((tot + ${v:-0})); done
    echo "$(date -u +%T) $tot" >> "$out"; sleep 2; done; }
field() { grep "$1" "$2" | awk '{print $NF}'; }
run() { # NAME CWD COMMAND...
  local name=$1 cwd=$2; shift 2; log "start $name"
  ( cd "$cwd" && /usr/bin/time -v "$@" > "$W/$name.out" 2> "$W/$name.err" ) & local pid=$!
  sample $pid "$W/$name.pss" & wait $pid; local rc=$?
  log "end $name rc=$rc wall=$(field 'Elapsed (wall' "$W/$name.err") user=$(field 'User time' "$W/$name.err")" \
      "sys=$(field 'System time' "$W/$name.err") maxrss_kb=$(field 'Maximum resident' "$W/$name.err")" \
      "peak_pss_kb=$(sort -k2 -n "$W/$name.pss" | tail -1 | cut -d' ' -f2)"; }
exec 9>"$W/.lock"; flock 9
log "prepare $N incidents, $(git -C "$ROOT" rev-parse --short HEAD)"
(cd "$ROOT" && "$PY" -c "
import sys; sys.path[:0] = ['bench', 'src']
from pathlib import Path; import bench_site as b
repo = b.prepare_repo(Path('$W'), $N); b.under_git(repo); b.prepare_plain(Path('$W'), repo, $N)")
log "prepared"
cold() { rm -rf "$W/repo-$N/.failurelog-cache" "$W/repo-$N/.failurelog-build"; }
cold; run zensical "$W/repo-$N" "$FL" build --force --engine zensical --site-dir "$W/site-z"
cold; run mkdocs "$W/repo-$N" "$FL" build --force --site-dir "$W/site-m"
run warm "$W/repo-$N" "$FL" build --site-dir "$W/site-m"
run plain "$W/plain-$N" "$PY" -m mkdocs build -q
log "done"
