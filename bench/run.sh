#!/usr/bin/env bash
# Whole-process benchmark of fucha: builds the release binary, generates the
# synthetic campaigns L (20,000 units / 200 workbooks) and XL (200,000 /
# 2,000) into a temporary folder, and times `fucha check` and `fucha build`
# on S (the default data in input/), L and XL, with wall time and peak
# memory from /usr/bin/time -v. Prints one Markdown table.
#
# Environment:
#   SIZES="S L XL"   sizes to run (XL takes the longest; SIZES="S L" skips it)
#   COMMANDS="check build"
#   SKIP="XL:build"  size:command pairs not run (XL build takes about 90 s
#                    and 7 GB of memory today; SKIP= runs everything)
#   SEED=1           generator seed (same seed, same files)
#   JOBS=            --jobs for fucha build (default: fucha's own, the core count)
#   BENCH_TMP=       where to put generated data and output (default: mktemp -d)
#   KEEP=1           keep BENCH_TMP afterwards
#   DETERMINISM=1    also build L with --jobs 1 and compare with the parallel build
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-S L XL}"
COMMANDS="${COMMANDS:-check build}"
SKIP="${SKIP-XL:build}"
SEED="${SEED:-1}"
TIME=/usr/bin/time

if ! "$TIME" -v true >/dev/null 2>&1; then
    echo "需要 GNU time（/usr/bin/time -v）：sudo apt-get install -y time" >&2
    exit 2
fi

TMP="${BENCH_TMP:-$(mktemp -d -t fucha-bench.XXXXXX)}"
mkdir -p "$TMP"
if [[ -z "${KEEP:-}" && -z "${BENCH_TMP:-}" ]]; then
    trap 'rm -rf "$TMP"' EXIT
fi

echo "building release binaries…" >&2
(cd "$ROOT" && cargo build --release --quiet --bin fucha --example synth)
FUCHA="$ROOT/target/release/fucha"
SYNTH="$ROOT/target/release/examples/synth"

# Data folder of a size: S is the committed default data.
data_dir() {
    case "$1" in
        S) echo "$ROOT/input" ;;
        *) echo "$TMP/$1" ;;
    esac
}

for size in $SIZES; do
    if [[ "$size" != S && ! -f "$TMP/$size/fucha.toml" ]]; then
        echo "generating $size (seed $SEED)…" >&2
        "$SYNTH" --size "$size" --seed "$SEED" --out "$TMP/$size" >&2
    fi
done

# Seconds from time's "h:mm:ss" or "m:ss.cc".
to_seconds() {
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

# Runs one command under time -v; prints a table row.
measure() {
    local size="$1" cmd="$2"
    local dir
    dir="$(data_dir "$size")"
    local out="$TMP/out-$size"
    local log="$TMP/time-$size-$cmd.log"
    local args=("$cmd" --config "$dir/fucha.toml")
    if [[ "$cmd" == build ]]; then
        rm -rf "$out"
        # --draft: the synthetic data has faulty rows on purpose; build every
        # document anyway, as an office would for a draft round.
        args+=(--out "$out" --draft)
        [[ -n "${JOBS:-}" ]] && args+=(--jobs "$JOBS")
    fi
    local status=0
    (cd "$dir" && "$TIME" -v "$FUCHA" "${args[@]}" >"$TMP/stdout-$size-$cmd.log" 2>"$log") || status=$?
    local wall rss files bytes
    wall="$(to_seconds "$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')")"
    rss="$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF / 1024}')"
    local units workbooks
    workbooks="$(find "$dir/报送" -maxdepth 1 -name '*.xlsx' | wc -l)"
    case "$size" in S) units=111 ;; L) units=20000 ;; XL) units=200000 ;; *) units="?" ;; esac
    if [[ "$cmd" == build && -d "$out" ]]; then
        files="$(find "$out" -type f \( -name '*.pdf' -o -name '*.docx' \) | wc -l)"
        bytes="$(du -sm "$out" | awk '{print $1}')"
        outputs="$files files, ${bytes} MB"
    else
        # The summary line's counts (errors are planted in the synthetic data).
        outputs="$(tail -n 1 "$TMP/stdout-$size-$cmd.log" | grep -oE '读取[0-9]+行|错误[0-9]+个|警告[0-9]+个' | paste -sd ' ')"
    fi
    printf '| %s | %s | %s | `fucha %s` | %.2f | %s | %s | %s |\n' \
        "$size" "$units" "$workbooks" "$cmd" "$wall" "$rss" "$status" "$outputs"
}

echo
echo "| size | units | workbooks | command | wall (s) | peak RSS (MB) | exit | output |"
echo "|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
    for cmd in $COMMANDS; do
        if [[ " $SKIP " == *" $size:$cmd "* ]]; then
            printf '| %s | | | `fucha %s` | skipped (SKIP) | | | |\n' "$size" "$cmd"
            continue
        fi
        measure "$size" "$cmd"
    done
done

if [[ -n "${DETERMINISM:-}" && -d "$TMP/out-L" ]]; then
    dir="$(data_dir L)"
    (cd "$dir" && "$FUCHA" build --config "$dir/fucha.toml" --out "$TMP/out-L-j1" --draft --jobs 1 >/dev/null 2>&1) || true
    if diff -r "$TMP/out-L" "$TMP/out-L-j1" >/dev/null; then
        echo
        echo "L built with --jobs 1 and in parallel: byte-identical."
    else
        echo
        echo "L built with --jobs 1 and in parallel: DIFFERENT output." >&2
        exit 1
    fi
fi

echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
