#!/usr/bin/python3
"""Reading the fault suite's records.

  analyze.py row OPS_TSV KIND WANT [NOTE]   one reliability-table row of KIND's operations:
                                        KIND, operations, failed, wrong bytes, slowest (s),
                                        WANT (what issue 9 requires), NOTE
  analyze.py resume PROXY_LOG [MIN]     cuts (short bodies, short 206s after at least MIN
                                        bytes, default 1) and how many were resumed: a later
                                        request for the same object whose Range starts after
                                        the cut request's start and no later than the byte
                                        reached. Prints "cuts resumed restarted".
  analyze.py retry_gap PROXY_LOG PATH_RE   seconds between each 503 with Retry-After for a
                                        path and the next request for that path, one a line
  analyze.py table RESULTS CTEST_LOG    the markdown table of docs/reliability.md, from the
                                        rows the cases appended to RESULTS ($FAULTS_RESULTS)
                                        and the verdict of each case in ctest's output
"""
import json
import re
import sys


def load(path):
    with open(path) as f:
        return sorted((json.loads(line) for line in f if line.strip()), key=lambda e: e["t"])


def row(ops_path, kind, want, note):
    ops = []
    with open(ops_path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == kind:
                ops.append(fields)
    failed = sum(1 for o in ops if o[4] == "failed")
    wrong = sum(1 for o in ops if o[4] == "wrong")
    slowest = max((float(o[3]) for o in ops), default=0.0)
    errors = sorted({o[5] for o in ops if o[4] == "failed"})
    if errors:
        note = (note + "; " if note else "") + "errors: " + ", ".join(errors)
    print("\t".join([kind, str(len(ops)), str(failed), str(wrong), f"{slowest:.2f}", want,
                     note]))


def resume(log_path, minimum):
    entries = load(log_path)
    cuts = resumed = restarted = 0
    for i, e in enumerate(entries):
        if e["fault"] not in ("short_body", "short_206") or not e["range"]:
            continue
        start = e["range"][0]
        if start is None or e["sent"] < minimum:
            continue
        cuts += 1
        later = [x for x in entries[i + 1:] if x["path"] == e["path"] and x["range"]
                 and x["range"][0] is not None]
        if any(start < x["range"][0] <= start + e["sent"] for x in later):
            resumed += 1
        elif any(x["range"][0] == start for x in later):
            restarted += 1
    print(cuts, resumed, restarted)


def retry_gap(log_path, path_re):
    entries = [e for e in load(log_path) if re.search(path_re, e["path"])]
    for i, e in enumerate(entries[:-1]):
        if e["status"] == 503 and e["retry_after"] is not None:
            print(f"{entries[i + 1]['t'] - e['end']:.2f}")


def table(results_path, ctest_log):
    verdicts = {}
    with open(ctest_log) as f:
        for line in f:
            m = re.search(r"Test\s+#\d+: faults_(\w+) \.+\**\s*(\w[\w ]*?)\s+[\d.]+ sec", line)
            if m:
                verdicts[m.group(1)] = m.group(2).strip()
    print("| case | fault | operations | failed | wrong bytes | slowest (s) | required | notes |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    with open(results_path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 8:
                continue
            case, kind, ops, failed, wrong, slowest, want, note = \
                [f.replace("|", "\\|") for f in fields[:8]]
            verdict = verdicts.get(case, "?")
            print(f"| {case} ({verdict}) | {kind} | {ops} | {failed} | {wrong} | {slowest} "
                  f"| {want} | {note} |")
    print()
    print("Cases: " + ", ".join(f"{case}: {v}" for case, v in sorted(verdicts.items())))


def main():
    cmd, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if cmd == "row" and len(args) in (3, 4):
        row(args[0], args[1], args[2], args[3] if len(args) == 4 else "")
    elif cmd == "resume" and len(args) in (1, 2):
        resume(args[0], int(args[1]) if len(args) == 2 else 1)
    elif cmd == "retry_gap" and len(args) == 2:
        retry_gap(args[0], args[1])
    elif cmd == "table" and len(args) == 2:
        table(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
