"""Turns PostgreSQL log lines (log_min_duration_statement = 0) into a pgbench script:
each executed statement with its bound parameters written in as literals. Lines of
different backends interleave, so a statement is matched with its parameters by PID."""
import re
import sys

PID = re.compile(r"\[(\d+)\]")
statements = []
pending = {}
for line in sys.stdin:
    pid_match = PID.search(line)
    pid = pid_match.group(1) if pid_match else ""
    m = re.search(r"LOG:\s+duration: [\d.]+ ms\s+(?:execute [^:]*|statement): (.*)$", line)
    if m:
        if pid in pending:
            statements.append(pending.pop(pid))
        pending[pid] = [m.group(1).strip(), {}]
        continue
    m = re.search(r"DETAIL:\s+parameters: (.*)$", line, re.IGNORECASE)
    if m and pid in pending:
        pending[pid][1] = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)))
        statements.append(pending.pop(pid))
statements.extend(pending.values())

for sql, params in statements:
    if sql.startswith(("ALTER SYSTEM", "SELECT pg_reload_conf")):
        continue
    for n in sorted(params, key=int, reverse=True):
        sql = sql.replace(f"${n}", params[n])
    print(sql.rstrip(";") + ";")
