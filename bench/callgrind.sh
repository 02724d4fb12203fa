#!/usr/bin/env bash
# Instructions executed by one warm jiegui command (valgrind callgrind's Ir), for comparing two source trees
# on a VM whose wall and CPU times vary: the count does not depend on the machine's speed at the time.
# Usage: bench/callgrind.sh SRC LABEL CORPUS COMMAND [OPTIONS...]
#   SRC: a source tree's src/ (run with PYTHONPATH=SRC); LABEL names its cache and output files in /tmp.
# The corpus is loaded into a cache of its own first (a cold run, then a warm one, untimed).
set -euo pipefail
src=$1; label=$2; corpus=$3; shift 3
export PYTHONPATH=$src JIEGUI_CACHE_DIR=/tmp/jc-cg-$label
python=${PYTHON:-python}
out=/tmp/cg-$label-$(basename "$corpus")-$1
"$python" -m jiegui corpus -c "$corpus" --format json > /dev/null 2>&1
"$python" -m jiegui "$@" -c "$corpus" --format json > /dev/null 2>&1
valgrind --tool=callgrind --callgrind-out-file="$out.out" "$python" -m jiegui "$@" -c "$corpus" --format json > "$out.json" 2> "$out.err"
grep -o "refs: .*" "$out.err" | tail -1
