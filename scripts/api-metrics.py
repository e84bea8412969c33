#!/usr/bin/env python3
"""Prints how thin the server functions are and where SQL lives, and fails when SQL appears
outside `backend/` (the rule in ARCHITECTURE.md).

  longest server function: <lines> lines (<name>, <file>)
  server functions: <count>, median <m> lines, over 40 lines: <n>
  inline SQL outside backend/: <count>

A server function is counted from its `#[server` attribute to the closing brace of its body.
SQL is any `sqlx::query…` call, `query_as` / `query_scalar`, or a statement through the backend's
helper (`sql::run/all/opt/one`) in a source file of the app or the server outside
`app/src/backend/` (tests and migrations are not code paths)."""
import pathlib
import re
import statistics
import sys

root = pathlib.Path(__file__).resolve().parent.parent
app = root / "app" / "src"
limit = int(sys.argv[1]) if len(sys.argv) > 1 else None


def server_functions(path):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("#[server"):
            start = i
            j = i
            while "fn " not in lines[j]:
                j += 1
            name = re.search(r"fn\s+(\w+)", lines[j]).group(1)
            indent = len(lines[j]) - len(lines[j].lstrip())
            k = j
            while not (lines[k].startswith(" " * indent + "}") and len(lines[k]) - len(lines[k].lstrip()) == indent):
                k += 1
            yield name, k - start + 1
            i = k
        i += 1


functions = []
for path in sorted((app / "api").rglob("*.rs")):
    for name, length in server_functions(path):
        functions.append((length, name, path.relative_to(root)))

sql = re.compile(
    r"sqlx::query|\bquery_as\s*[(:<]|\bquery_scalar\s*[(:<]|\bsql::(run|all|opt|one)\s*[(:]"
)
inline = []
for path in sorted([*app.rglob("*.rs"), *(root / "server" / "src").rglob("*.rs")]):
    rel = path.relative_to(root)
    if rel.parts[:3] == ("app", "src", "backend"):
        continue
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if sql.search(line):
            inline.append(f"{rel}:{n}")

functions.sort(reverse=True)
lengths = [f[0] for f in functions]
longest = functions[0]
print(f"longest server function: {longest[0]} lines ({longest[1]}, {longest[2]})")
print(
    f"server functions: {len(functions)}, median {statistics.median(lengths):.0f} lines, "
    f"over 40 lines: {sum(1 for l in lengths if l > 40)}"
)
for length, name, path in functions[:5]:
    print(f"  {length:4} {name} ({path})")
print(f"inline SQL outside backend/: {len(inline)}")
for place in inline:
    print(f"  {place}")
if inline:
    sys.exit(1)
if limit is not None and longest[0] > limit:
    print(f"the longest server function is over {limit} lines")
    sys.exit(1)
