#!/usr/bin/env bash
# Builds and runs each consumer of the library, as its users would bring it in:
# a meson subproject; the installed package through pkg-config and through CMake's
# find_package (with the optional transport and server components); and a plain g++ command
# with the copied single header. The pkg-config consumer also builds the Beast transport compiled
# once (MODELARTS_SEPARATE_COMPILATION), as the README tells users to.
# Usage: run.sh SOURCE_ROOT WORK_DIR
set -euo pipefail
src=$(readlink -f "$1")
work=$2
here=$(dirname "$(readlink -f "$0")")
rm -rf "$work"
mkdir -p "$work"
work=$(readlink -f "$work")

consumer() {  # copy a consumer's build file and the consumers' sources into a fresh folder
  mkdir -p "$work/$1"
  cp "$here/$1"/* "$here"/*.cpp "$work/$1/"
}
check() {  # run a built consumer: it must succeed and print the SDK's success line
  out=$("$1")
  echo "$out"
  grep -q '"is_success":true' <<<"$out"
}

echo "== meson subproject: dependency('modelarts-cpp')"
consumer meson_subproject
mkdir -p "$work/meson_subproject/subprojects"
ln -s "$src" "$work/meson_subproject/subprojects/modelarts-cpp"
meson setup "$work/meson_subproject/build" "$work/meson_subproject" >/dev/null
meson compile -C "$work/meson_subproject/build" >/dev/null
check "$work/meson_subproject/build/consumer"

echo "== meson install into a temporary prefix"
meson setup "$work/install-build" "$src" --prefix "$work/prefix" -Dtests=false -Dexamples=false >/dev/null
meson install -C "$work/install-build" >/dev/null
test -f "$work/prefix/include/modelarts/modelarts.hpp"
pc=$(find "$work/prefix" -name modelarts-cpp.pc)
cmake_config=$(find "$work/prefix" -name modelarts-cppConfig.cmake)
echo "installed: ${pc#$work/} ${cmake_config#$work/}"
grep -q -- "-lboost_json" "$pc"
for component in curl beast httplib server; do test -f "$(dirname "$pc")/modelarts-cpp-$component.pc"; done
test -f "$work/prefix/include/modelarts/transports/curl.hpp"
test -f "$work/prefix/include/modelarts/testing/server.hpp"

echo "== meson consumer of the installed package (pkg-config)"
consumer meson_installed
PKG_CONFIG_PATH=$(dirname "$pc") meson setup "$work/meson_installed/build" "$work/meson_installed" >/dev/null
meson compile -C "$work/meson_installed/build" >/dev/null
check "$work/meson_installed/build/consumer"
check "$work/meson_installed/build/consumer_transports"
"$work/meson_installed/build/consumer_beast_compiled_once"  # exits 0 only on connection_refused

echo "== CMake consumer of the installed package (find_package)"
consumer cmake_installed
cmake -S "$work/cmake_installed" -B "$work/cmake_installed/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake_installed/build" --parallel "$(nproc)" >/dev/null
check "$work/cmake_installed/build/consumer"
check "$work/cmake_installed/build/consumer_transports"

echo "== g++ -std=c++20 main.cpp -lboost_json, with the copied single header only"
mkdir -p "$work/single_header"
cp "$src/single_include/modelarts/modelarts.hpp" "$here/main.cpp" "$work/single_header/"
(cd "$work/single_header" && g++ -std=c++20 -DCONSUMER_SINGLE_HEADER main.cpp -lboost_json -o consumer)
check "$work/single_header/consumer"
echo "all consumers built and ran"
