#!/usr/bin/env bash
# Usage: expect_compile_error.sh COMPILE_COMMANDS REFERENCE SOURCE EXPECTED_TEXT
# Passes when compiling SOURCE fails and the diagnostics contain EXPECTED_TEXT. SOURCE is compiled
# exactly as meson compiles REFERENCE (a test that builds), so it gets the same compiler, standard,
# Boost include paths and defines; only the file changes.
set -u
compile_commands=$(readlink -f "$1") reference=$2 source=$(readlink -f "$3") expected=$4
mapfile -d '' command < <(python3 - "$compile_commands" "$reference" "$source" <<'PY'
import json, shlex, sys
commands, reference, source = sys.argv[1:]
entry = next(e for e in json.load(open(commands)) if e["file"].endswith(reference))
words = shlex.split(entry["command"])
out, skip = [], False
for w in words:
    if skip: skip = False; continue
    if w in ("-o", "-MQ", "-MF", "-c"): skip = True; continue
    if w == "-MD" or w.endswith(reference): continue
    out.append(w)
sys.stdout.write("\0".join(out + ["-fsyntax-only", source]))
PY
)
[ "${#command[@]}" -gt 2 ] || { echo "FAIL: no compile command for $reference in $compile_commands"; exit 1; }
if out=$(cd "$(dirname "$compile_commands")" && "${command[@]}" 2>&1); then
  echo "FAIL: the source compiled, but it must not"
  exit 1
fi
if grep -qF -- "$expected" <<<"$out"; then
  echo "ok: refused with \"$expected\""
  head -n 20 <<<"$out"
  exit 0
fi
echo "FAIL: refused, but without \"$expected\":"
echo "$out"
exit 1
