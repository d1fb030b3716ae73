#!/usr/bin/env bash
# Re-proves lrspec against the newest upstream installable on this machine: `deno task
# conformance:upstream` (not part of `npm test`: it installs ~1 GB of wheels and runs upstream for
# tens of minutes).
#
#  1. a Python venv from the local wheel folder: torch (the newest CPU wheel in $LRSPEC_WHEELS),
#     and the newest transformers, timm, jax/jaxlib, optax, numpy, PyYAML, mpmath the index has;
#  2. upstream sources that are not wheels, from the bare git mirrors ($LRSPEC_MIRROR):
#     detectron2, fvcore, yacs, iopath (as fixtures/README.md and shared/tools/upstream-python.sh);
#  3. a scratch clone of this checkout's HEAD, where the project's generators run under that venv
#     and write their suites in place: generate.py (detectron2, torch, configs), generate_hf.py
#     and generate_timm.py (a replay of the reference run and their own seeded cases),
#     generate_optax.py, generate_optax_wrapped.py, then the converters (as fixtures/rebuild.sh);
#  4. fixtures/compare_suites.py: every regenerated case against the committed one (values,
#     errors, resumed state, libm tables), printing what changed;
#  5. the conformance runner (this checkout's lrspec) on the regenerated suites, with the
#     releases their manifests record, and the WrappedSchedule goldens' test.
#
# Import-only stand-ins, none of which touches the arithmetic (fixtures/README.md, "Other
# releases"): fixtures/stubs/torchvision (the folder's torchvision is a CUDA build that cannot load
# beside the CPU torch; detectron2 and timm import it), a pycocotools stub (detectron2.engine
# imports it), and Debian's python3-antlr4 4.9 linked into the venv (omegaconf needs
# antlr4-python3-runtime 4.9, which the wheel folder lacks).
#
# Usage: bash scripts/conformance-upstream.sh [--all-runtimes] [--keep] [--skip-generators]
#   --all-runtimes     run the conformance suites on Bun and Node too (default: Deno)
#   --keep             keep the scratch directory (printed); default: removed on success
#   --skip-generators  with LRSPEC_UPSTREAM_DIR of an earlier run: keep its venv, clone and the
#                      generators' output, and redo the converters, the comparison and conformance
#
# The optax suite's reference run (jax 0.11.2, on the device) is not regenerated here: the
# regenerated optax suite holds the `generated/` cases (generate_optax.py under the local jax),
# compared with the committed `generated/` ones.
# Environment: LRSPEC_WHEELS (/opt/wheels), LRSPEC_INDEX (file:///opt/pypi/simple),
#   LRSPEC_EXTRA_INDEX (file:///opt/pypi-more/simple), LRSPEC_MIRROR (/work/.mirror),
#   LRSPEC_REFERENCE (../shared/reference, then /work/shared/reference), LRSPEC_PYTHON (python3.11
#   or python3), LRSPEC_UPSTREAM_DIR (a scratch directory to use instead of a new one).
set -euo pipefail
started=$(date +%s)
all_runtimes=false
keep=false
skip=false
for arg in "$@"; do
  case $arg in
    --all-runtimes) all_runtimes=true ;;
    --keep) keep=true ;;
    --skip-generators) skip=true ;;
    *) echo "usage: $0 [--all-runtimes] [--keep] [--skip-generators]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
repo=$(pwd)
wheels=${LRSPEC_WHEELS:-/opt/wheels}
index=${LRSPEC_INDEX:-file:///opt/pypi/simple}
extra=${LRSPEC_EXTRA_INDEX:-file:///opt/pypi-more/simple}
mirror=${LRSPEC_MIRROR:-/work/.mirror}
python=${LRSPEC_PYTHON:-$(command -v python3.11 || command -v python3)}
ref=${LRSPEC_REFERENCE:-}
if [ -z "$ref" ]; then
  for d in ../shared/reference /work/shared/reference; do
    if [ -f "$d/hf.jsonl.xz" ]; then ref=$(cd "$d" && pwd); break; fi
  done
fi
[ -n "$ref" ] && [ -f "$ref/hf.jsonl.xz" ] || { echo "no reference runs (hf/timm/optax.jsonl.xz): set LRSPEC_REFERENCE" >&2; exit 2; }
work=${LRSPEC_UPSTREAM_DIR:-$(mktemp -d /tmp/lrspec-upstream.XXXXXX)}
mkdir -p "$work/runs" "$work/src" "$work/log"
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }
run() { # run NAME CMD...: output to $work/log/NAME.log, the tail shown on failure
  local name=$1; shift
  if ! "$@" >"$work/log/$name.log" 2>&1; then
    echo "FAILED: $name (log: $work/log/$name.log)" >&2; tail -20 "$work/log/$name.log" >&2; exit 1
  fi
}

if $skip && [ -z "${LRSPEC_UPSTREAM_DIR:-}" ]; then echo "--skip-generators needs LRSPEC_UPSTREAM_DIR" >&2; exit 2; fi
$skip || step "venv from the local wheel folder ($wheels, $index)"
torch_wheel=$(ls "$wheels"/torch-*+cpu-*.whl 2>/dev/null | sort -V | tail -1)
[ -n "$torch_wheel" ] || { echo "no CPU torch wheel in $wheels" >&2; exit 2; }
antlr=/usr/lib/python3/dist-packages/antlr4
[ -d "$antlr" ] || { echo "omegaconf needs antlr4 4.9: apt-get install python3-antlr4" >&2; exit 2; }
pip=("$work/venv/bin/pip" install -q --disable-pip-version-check --index-url "$index" --extra-index-url "$extra" --find-links "$wheels")
if ! $skip; then
run venv "$python" -m venv "$work/venv"
run pip "${pip[@]}" "$torch_wheel" transformers jax jaxlib optax numpy pyyaml mpmath portalocker tqdm \
  termcolor tabulate aiofiles cloudpickle huggingface_hub safetensors pillow
run pip-nodeps "${pip[@]}" --no-deps timm omegaconf # timm: not its torchvision; omegaconf: antlr4 below
mkdir -p "$work/shim" && ln -sfn "$antlr" "$work/shim/antlr4"
site=$("$work/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$work/shim" >"$site/lrspec-debian-antlr4.pth"
fi
"$work/venv/bin/python" - <<'EOF' | tee "$work/versions.txt"
import importlib.metadata as m, platform
names = ["torch", "transformers", "timm", "jax", "jaxlib", "optax", "numpy"]
print("python " + platform.python_version() + ", glibc " + platform.libc_ver()[1] + "; "
      + ", ".join(f"{n} {m.version(n)}" for n in names))
EOF

step "upstream sources from $mirror"
declare -A commits
for spec in facebookresearch+detectron2:detectron2 facebookresearch+fvcore:fvcore rbgirshick+yacs:yacs facebookresearch+iopath:iopath; do
  gd="$mirror/${spec%%:*}/repo"; out="$work/src/${spec##*:}"
  rm -rf "$out" && mkdir -p "$out"
  git --git-dir="$gd" archive HEAD | tar -x -C "$out"
  commits[${spec##*:}]=$(git --git-dir="$gd" rev-parse HEAD)
  echo "${spec##*:} ${commits[${spec##*:}]:0:7}"
done
mkdir -p "$work/src/stubs/pycocotools"
: >"$work/src/stubs/pycocotools/__init__.py"; : >"$work/src/stubs/pycocotools/mask.py"
echo "class COCO: pass" >"$work/src/stubs/pycocotools/coco.py"
printf 'class COCOeval: pass\nmaskUtils = None\n' >"$work/src/stubs/pycocotools/cocoeval.py"

if ! $skip; then
step "scratch clone of HEAD ($(git rev-parse --short HEAD))"
rm -rf "$work/repo"
git clone -q --no-hardlinks "$repo" "$work/repo"
git -C "$work/repo" checkout -q "$(git rev-parse HEAD)"
fi
fx="$work/repo/fixtures"
py="$work/venv/bin/python"
src="$work/src"
export JAX_PLATFORMS=cpu
export PYTHONPATH="$src/detectron2:$src/fvcore:$src/yacs:$src/iopath:$src/stubs:$src/detectron2/projects/DeepLab:$fx/stubs"

if ! $skip; then
step "generate.py --suite all (detectron2, torch, configs)"
run generate "$py" -W ignore "$fx/generate.py" --suite all --detectron2-commit "${commits[detectron2]}" --fvcore-commit "${commits[fvcore]}"
step "generate_hf.py: replay of the reference run, and --seed 7 --count 240"
run hf-replay "$py" "$fx/generate_hf.py" --replay "$ref/hf.jsonl.xz" --out "$work/runs/hf-replay.jsonl"
run hf-seed "$py" "$fx/generate_hf.py" --seed 7 --count 240 --out "$work/runs/hf-seed7.jsonl"
step "generate_timm.py: replay of the reference run, and --seed 1 --count 180"
run timm-replay "$py" "$fx/generate_timm.py" --replay "$ref/timm.jsonl.xz" --out "$work/runs/timm-replay.jsonl"
run timm-seed "$py" "$fx/generate_timm.py" --seed 1 --count 180 --out "$work/runs/timm-seed1.jsonl"
step "generate_optax.py --seed 11 --count 280; generate_optax_wrapped.py"
run optax "$py" "$fx/generate_optax.py" --seed 11 --count 280 --out "$work/runs/optax-seed11.jsonl"
run optax-wrapped "$py" "$fx/generate_optax_wrapped.py" --out "$fx/optax-wrapped/cases.json"
fi
step "converters (as fixtures/rebuild.sh)"
run convert-hf "$py" "$fx/convert_hf.py" --out "$fx/hf" --reference "$ref/hf.jsonl.xz" "$work/runs/hf-replay.jsonl" "$work/runs/hf-seed7.jsonl"
run convert-timm "$py" "$fx/convert_timm.py" --reference "$ref/timm.jsonl.xz" --replay "$work/runs/timm-replay.jsonl" --local "$work/runs/timm-seed1.jsonl" --out "$fx/timm"
run convert-optax "$py" "$fx/convert_optax.py" "generated=$work/runs/optax-seed11.jsonl"

step "the regenerated goldens against the committed ones, case by case"
read -r tv pv < <("$py" -c "import json; v=json.load(open('$fx/torch/manifest.json'))['versions']; print(v['torch'], v['python'])")
torch_suite=torch; [ "$tv" != 1.13 ] && [ -d "$repo/fixtures/torch-$tv" ] && torch_suite="torch-$tv"
d2=detectron2; cfg=configs; [ "$pv" = 3.12 ] && d2=detectron2-py3.12 && cfg=configs-py3.12
"$py" "$repo/fixtures/compare_suites.py" "$fx" --committed "$repo/fixtures" --json "$work/compare.json" \
  "torch=$torch_suite" "detectron2=$d2" "configs=$cfg" hf=hf timm=timm optax=optax:generated/ optax-wrapped=optax-wrapped |
  tee "$work/compare.txt"

step "lrspec (this checkout) on the regenerated goldens"
deno="$repo/node_modules/.bin/deno"
suites=(--suite detectron2 --suite torch --suite configs --suite hf --suite timm --suite optax)
ok=true
"$deno" run --allow-read --allow-env --allow-write conformance/cli.ts conformance --fixtures "$fx" "${suites[@]}" \
  --json "$work/deno.json" --quiet | tee "$work/conformance-deno.txt" | sed -n '1,12p;/^PASS/p;/^FAIL/p' || ok=false
if $all_runtimes; then
  "$repo/node_modules/.bin/bun" conformance/cli.ts conformance --fixtures "$fx" "${suites[@]}" --json "$work/bun.json" --quiet |
    sed -n '1,12p;/^PASS/p;/^FAIL/p' || ok=false
  node --import tsx conformance/cli.ts conformance --fixtures "$fx" "${suites[@]}" --json "$work/node.json" --quiet |
    sed -n '1,12p;/^PASS/p;/^FAIL/p' || ok=false
fi
LRSPEC_FIXTURES="$fx" "$deno" test --allow-read --allow-env schedules/optax/inject_golden_test.ts >"$work/log/wrapped-test.log" 2>&1 &&
  echo "WrappedSchedule goldens (regenerated): pass" || { echo "WrappedSchedule goldens (regenerated): FAIL ($work/log/wrapped-test.log)"; ok=false; }

elapsed=$(( $(date +%s) - started ))
printf '\nupstream: %s\n' "$(cat "$work/versions.txt")"
printf 'goldens: %s\n' "$(tail -1 "$work/compare.txt")"
if $ok; then
  echo "lrspec follows: every regenerated value bit-identical or a proven libm difference"
else
  echo "lrspec does NOT follow: see the conformance report above"
fi
echo "took $((elapsed / 60)) min $((elapsed % 60)) s; scratch: $work"
if $ok && ! $keep && [ -z "${LRSPEC_UPSTREAM_DIR:-}" ]; then rm -rf "$work"; fi
$ok
