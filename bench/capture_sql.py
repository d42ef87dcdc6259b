"""Turns PostgreSQL log lines (log_min_duration_statement = 0) into a pgbench script:
each executed statement with its bound parameters written in as literals."""
import re
import sys

statements = []
pending = None
for line in sys.stdin:
    m = re.search(r"LOG:\s+duration: [\d.]+ ms\s+(?:execute [^:]*|statement): (.*)$", line)
    if m:
        if pending is not None:
            statements.append(pending)
        pending = (m.group(1).strip(), {})
        continue
    m = re.search(r"DETAIL:\s+Parameters: (.*)$", line, re.IGNORECASE)
    if m and pending is not None:
        params = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)))
        pending = (pending[0], params)
if pending is not None:
    statements.append(pending)

for sql, params in statements:
    if sql.startswith(("ALTER SYSTEM", "SELECT pg_reload_conf")):
        continue
    for n in sorted(params, key=int, reverse=True):
        sql = sql.replace(f"${n}", params[n])
    print(sql.rstrip(";") + ";")
