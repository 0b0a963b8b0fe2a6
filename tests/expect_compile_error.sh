#!/usr/bin/env bash
# Usage: expect_compile_error.sh COMPILER [FLAGS...] SOURCE EXPECTED_TEXT
# Passes when compiling SOURCE fails and the diagnostics contain EXPECTED_TEXT.
set -u
args=("$@")
expected=${args[-1]}
unset 'args[-1]'
if out=$("${args[@]}" -fsyntax-only 2>&1); then
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
