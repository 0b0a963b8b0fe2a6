#!/usr/bin/env python3
"""Checks the shape of include/: no include cycle, and the layers' boundaries.

  include_graph.py SOURCE_ROOT

- No header reaches itself through its "modelarts/..." includes (an .ipp counts as part of the
  header that includes it).
- The call machine (detail/sansio/) stands below the session: nothing it reaches includes
  session.hpp, a transport, the emulator or Asio.
- The core (modelarts.hpp and all it reaches) never includes Asio or Beast.
"""
import pathlib
import re
import sys

QUOTED = re.compile(r'^\s*#\s*include\s+"(modelarts/[^"]+)"', re.M)
ANGLED = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)


def main():
    root = pathlib.Path(sys.argv[1]) / "include"
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*") if p.suffix in (".hpp", ".ipp")}
    edges = {name: QUOTED.findall(text) for name, text in files.items()}
    failures = []

    # Cycles: depth-first search with colours.
    colour, stack = {}, []

    def visit(node):
        colour[node] = "grey"
        stack.append(node)
        for nxt in edges.get(node, []):
            if nxt not in files:
                failures.append(f"{node} includes {nxt}, which does not exist")
            elif colour.get(nxt) == "grey":
                failures.append("include cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in colour:
                visit(nxt)
        stack.pop()
        colour[node] = "black"

    for name in sorted(files):
        if name not in colour:
            visit(name)

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n in seen or n not in files:
                continue
            seen.add(n)
            todo.extend(edges[n])
        return seen

    def angled(names):
        return {(n, h) for n in names for h in ANGLED.findall(files[n])}

    forbidden_below_session = ("modelarts/session.hpp", "modelarts/detail/session_state.hpp", "modelarts/transports/",
                               "modelarts/testing/", "modelarts/asio.hpp", "modelarts/any_async_transport.hpp")
    for name in sorted(n for n in files if n.startswith("modelarts/detail/sansio/")):
        reached = reach(name)
        for n in sorted(reached):
            if n.startswith(forbidden_below_session):
                failures.append(f"{name} reaches {n}: the call machine must stand below the session")
        for n, h in sorted(angled(reached)):
            if h.startswith(("boost/asio", "boost/beast")):
                failures.append(f"{name} reaches <{h}> (through {n}): the call machine knows no Asio")
    for n, h in sorted(angled(reach("modelarts/modelarts.hpp"))):
        if h.startswith(("boost/asio", "boost/beast")):
            failures.append(f"modelarts.hpp reaches <{h}> (through {n}): the core never includes Asio")

    for f in failures:
        print(f)
    print(f"{len(files)} files, {sum(len(e) for e in edges.values())} includes: "
          + ("no cycle, the layers as they should be" if not failures else f"{len(failures)} problems"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
