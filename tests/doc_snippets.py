#!/usr/bin/env python3
"""Compiles every C++ example the documentation shows: each `@code` block of the public headers
and each ```cpp block of README.md, so that no example a reader copies can have rotted.

  doc_snippets.py COMPILE_COMMANDS SOURCE_ROOT

Each snippet is one translation unit (one that includes a src.hpp is compiled as it stands, with
MODELARTS_SEPARATE_COMPILATION, as its unit would be), compiled (syntax only) with the command meson uses for
tests/test_transport.cpp, after a prelude that includes the library, the emulator and a few
standard headers, and stubs `my_http`, the user's own HTTP library in the examples of writing a
transport. A snippet with declarations at the top (an #include, a type, a function) is compiled as
it stands; one that is only statements is compiled as the body of a function.
"""
import concurrent.futures
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

PRELUDE = r'''#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <cassert>
#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace my_http {  // stands for the user's own HTTP library in the examples of writing a transport
struct reply {
    bool failed = false;
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};
struct client {
    reply call(std::string_view, const std::string&, const modelarts::http_headers&, std::string_view) { return {}; }
};
struct event_loop {
    template <class F> void start(modelarts::http_request, F) {}
    template <class F> void call_later(std::chrono::nanoseconds, F) {}
};
} // namespace my_http
#line 1 "snippet"
'''

TOP_LEVEL = re.compile(r'^(#|struct |class |template|namespace |int main|using |[\w:<>, ]+ [\w:~]+\(.*\)\s*(const\s*)?$)')


def header_snippets(root):
    for path in sorted((root / "include").rglob("*.hpp")):
        if "/detail/" in path.as_posix():
            continue  # internals: their comments describe, they do not teach
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'@code\n(.*?)@endcode', text, re.S):
            lines = [re.sub(r'^\s*\*( |$)', '', line) for line in m.group(1).splitlines()]
            yield f"{path.relative_to(root)}:{text[:m.start()].count(chr(10)) + 1}", "\n".join(lines)


def readme_snippets(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    for m in re.finditer(r'^```cpp\n(.*?)^```', text, re.S | re.M):
        yield f"README.md:{text[:m.start()].count(chr(10)) + 1}", m.group(1)


def translation_unit(snippet):
    if "src.hpp" in snippet:  # a unit that compiles the library once: it must come first
        return snippet + "\n"
    if any(TOP_LEVEL.match(line) for line in snippet.splitlines()):
        return PRELUDE + snippet + "\n"
    return PRELUDE + "[[maybe_unused]] static void snippet()\n{\n" + snippet + "\n}\n"


def main():
    compile_commands, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    entry = next(e for e in json.loads(compile_commands.read_text()) if e["file"].endswith("tests/test_transport.cpp"))
    args = shlex.split(entry["command"])
    # The compiler and its flags, less the output, the source and the dependency file.
    drop_next = {"-o", "-MF", "-MQ", "-c"}
    flags, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in drop_next:
            skip = True
        elif not a.endswith("test_transport.cpp") and a != "-MD":
            flags.append(a)
    snippets = list(header_snippets(root)) + list(readme_snippets(root))
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="doc-snippets-"))

    def check(item):
        i, (where, code) = item
        source = workdir / f"snippet_{i}.cpp"
        source.write_text(translation_unit(code), encoding="utf-8")
        mode = ["-DMODELARTS_SEPARATE_COMPILATION"] if "src.hpp" in code else []
        if "transports/httplib.hpp" in code:  # cpp-httplib's own flags, as its pkg-config gives them
            mode += shlex.split(subprocess.run(["pkg-config", "--cflags", "cpp-httplib"], capture_output=True, text=True).stdout)
        r = subprocess.run([args[0], *flags, *mode, "-fsyntax-only", "-w", "-fdiagnostics-color=never", "-x", "c++", str(source)],
                           cwd=entry["directory"], capture_output=True, text=True)
        return where, r.returncode, r.stderr

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for where, rc, err in pool.map(check, enumerate(snippets)):
            if rc != 0:
                failed += 1
                print(f"FAILED {where}:\n{err[:4000]}")
            else:
                print(f"ok     {where}")
    print(f"{len(snippets) - failed} of {len(snippets)} examples compile")
    return 1 if failed or not snippets else 0


if __name__ == "__main__":
    sys.exit(main())
