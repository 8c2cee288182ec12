#!/usr/bin/env python3
# The hostile cases against the integration lab (test_lab_hostile.sh sets
# up the lab and the broker): reads the cases of tests/security/cases with
# the security suite's own loader (same payloads, same LGX markers), sends
# each through lgctl to every lab router for its query type, checks that
# it is refused (or, for a "safe" case, that whatever ran is clean), runs
# the legitimate queries, then reads what the lab routers' command logs
# gained during the run: no marker, no refused target, and every command
# the broker sent for a good query.  Prints one result a line for the
# shell ("ok<TAB>description" or "not ok<TAB>description<TAB>diagnostic").

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "security"))
import hostile  # noqa: E402  (the case loader and expectations)

# Broker router name -> lab router whose logs receive its commands.
LAB_OF = {"r1": "r1", "r1tel": "r1", "r2": "r2", "r3": "r3"}
TELNET = {"r1tel"}
REFUSED = hostile.REFUSALS | {"unsupported"}


def emit(good, desc, diag=""):
    # The shell prints the description with echo, which reads escapes.
    desc = desc.replace("\t", " ").replace("\n", " ").replace("#", "%23")
    desc = desc.replace("\\", "\\\\")
    diag = str(diag).replace("\t", " ").replace("\n", " | ")[:600]
    print("%s\t%s\t%s" % ("ok" if good else "not ok", desc, diag))
    sys.stdout.flush()


def lgctl(args, argv):
    """Runs lgctl -j; returns (exit status, [(router, code, command)])."""
    cmd = [args.lgctl, "-s", args.socket, "-t", "30", "-j"] + argv
    cmd = [c if isinstance(c, bytes) else c.encode() for c in cmd]
    p = subprocess.run(cmd, capture_output=True, timeout=90)
    res = []
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return p.returncode, None, p.stdout[:200] + p.stderr[:200]
    if "error" in doc:
        res.append(("", doc["error"]["code"], ""))
    for r in doc.get("results", []):
        code = r["error"]["code"] if "error" in r else "ok"
        res.append((r.get("router", ""), code, r.get("command", "")))
    return p.returncode, res, p.stderr[-200:]


def plan(args, cases):
    """(case, argv, lab router or None) for every send."""
    out = []
    for c in cases:
        if b"\0" in c.payload:
            continue    # argv cannot carry a NUL
        if c.field in hostile.TYPES:
            if c.expect == "safe" and c.field in ("ping", "traceroute"):
                continue    # a name to resolve: the lab has no resolver
            for r in args.routers:
                out.append((c, ["query", r, c.field, c.payload], r))
        elif c.field == "router":
            out.append((c, ["query", c.payload, "bgp_route", args.route4],
                        None))
        elif c.field == "type":
            out.append((c, ["query", "r1", c.payload, args.route4], None))
        elif c.field == "afi":
            out.append((c, ["query", "-a", c.payload, "r1", "bgp_route",
                            args.route4], None))
    return out


def judge(case, rc, res, err):
    if res is None:
        # lgctl itself refuses what cannot be a query (usage, a target
        # over 256 bytes, a request over a frame): nothing was sent.
        if case.expect != "safe" and rc in (2, 3):
            return True, ""
        return False, "no JSON from lgctl (exit %d): %r" % (rc, err)
    codes = [code for (_, code, _) in res]
    for (_, _, command) in res:
        if command and case.marker in command:
            return False, "a command carries the marker: %r" % command
    if case.expect == "safe":
        if rc in (0, 1):
            return True, ""
        return False, "lgctl exit %d" % rc
    want = hostile.EXPECT[case.expect] | {"unsupported"}
    if rc != 1 or not codes or any(c not in want for c in codes):
        return False, "exit %d, codes %s, expected one of %s" % (
            rc, codes, sorted(want))
    return True, ""


def run_cases(args, sends, sent):
    def one(item):
        case, argv, router = item
        rc, res, err = lgctl(args, argv)
        return item, rc, res, err

    counts = {}
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        for (case, argv, router), rc, res, err in ex.map(one, sends):
            good, diag = judge(case, rc, res, err)
            for (r, code, command) in res or ():
                if code == "ok" and command:
                    sent.extend((r, l) for l in command.split("\n"))
            codes = ",".join(c for (_, c, _) in res or ()) or \
                "lgctl exit %d" % rc
            emit(good, "%s -> %s: %s" % (case.label(), router or argv[1],
                                         codes), diag)
            counts[case.cls] = counts.get(case.cls, 0) + 1
    return counts


def run_good(args, sent):
    n = 0
    for spec in args.good:
        argv = ["query"] + spec.split(" ", 2)
        router, qtype, target = (argv[1:] + [""])[:3]
        rc, res, err = lgctl(args, argv)
        ok = rc == 0 and res and all(c == "ok" and cmd
                                     for (_, c, cmd) in res)
        emit(ok, "good query %s %s %s runs (%s)" % (
            router, qtype, target,
            "; ".join(cmd for (_, _, cmd) in res or ())),
            "exit %d %s %r" % (rc, res, err))
        for (r, code, command) in res or ():
            if code == "ok" and command:
                for line in command.split("\n"):
                    sent.append((r, line))
                    n += 1
    return n


def appended(offsets):
    """What each command log file gained since the offsets were taken."""
    got = {}
    for path, size in offsets.items():
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            got[path] = None
            emit(False, "command log %s readable" % path, e)
            continue
        if len(data) < size:
            emit(False, "command log %s only grew" % path,
                 "shrank from %d to %d bytes: the lab was rebuilt" %
                 (size, len(data)))
            got[path] = data
        else:
            got[path] = data[size:]
    return got


def lines_of(data):
    return [l for l in re.split(rb"[\r\n]+", data or b"") if l]


# The command in a line of each kind of log; other lines (connections,
# BGP events, the session record's start and end) carry no command.
CMD_RE = [
    (("/bgpd.log", "/zebra.log"), re.compile(rb"vty\[[0-9]+\]@\S*[>#] (.*)$")),
    (("/commands.log",), re.compile(rb"<TRACE> CLI: (.*)$")),
]
SCRIPT_RE = re.compile(rb"^Script (started|done) on ")


def commands_of(path, data):
    for ends, rx in CMD_RE:
        if path.endswith(ends):
            return [m.group(1) for m in map(rx.search, lines_of(data))
                    if m]
    return [l for l in lines_of(data) if not SCRIPT_RE.match(l)]


def check_logs(args, cases, sent, new):
    cmds = {p: commands_of(p, d) for p, d in new.items()}
    total = sum(len(c) for c in cmds.values())
    emit(total > 0, "the lab routers' command logs gained %d command lines "
         "during the run" % total)
    hits = []
    for path, data in new.items():
        for line in lines_of(data):
            if hostile.MARKER_RE.search(line):
                hits.append("%s: %r" % (path, line[:160]))
    emit(not hits, "no marker of the %d cases in any lab router's command "
         "log" % len(cases), "; ".join(hits[:10]))
    blob = b"\n".join(l for c in cmds.values() for l in c)
    leaked = []
    nref = 0
    for c in cases:
        if c.field in hostile.TYPES and c.marker not in c.text and \
                len(c.payload) >= 6 and c.expect != "safe":
            nref += 1
            needle = re.escape(c.payload)
            if re.search(rb"(?:^|[\s\"'>:])" + needle + rb"(?:$|[\s\"'\\])",
                         blob, re.M):
                leaked.append("%s %r" % (c.name, c.payload))
    emit(not leaked, "none of the %d refused targets without a marker is "
         "in any lab router's command log" % nref, "; ".join(leaked[:10]))
    # Each good command in the log of the router it went to, as that
    # router records it.
    missing = []
    seen = set()
    for router, command in sent:
        if router not in LAB_OF or (router, command) in seen:
            continue
        seen.add((router, command))
        files = args.cmdlog[LAB_OF[router]]
        cmd = command.encode()
        if router in TELNET:
            # bgpd's log: "vty[N]@CLIENT> COMMAND" (or # once enabled)
            where = [f for f in files if f.endswith("/bgpd.log")]
            found = any(re.search(rb"@[0-9.:a-f]+[>#] " + re.escape(cmd) +
                                  rb"$", new.get(f) or b"", re.M)
                        for f in where)
        else:
            # The ssh session record: the line as typed.
            found = cmd in cmds.get(files[0], [])
        if not found:
            missing.append("%s: %s" % (router, command))
    emit(seen and not missing, "every command the broker ran for the good "
         "queries (%d) is in its router's command log" % len(seen),
         "; ".join(missing[:10]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lgctl", required=True)
    ap.add_argument("--socket", required=True)
    ap.add_argument("--route4", required=True)
    ap.add_argument("--routers", required=True)
    ap.add_argument("--classes", required=True, help="every case of these")
    ap.add_argument("--good", action="append", default=[],
                    help="ROUTER TYPE TARGET, a query that must run")
    ap.add_argument("--cmdlog", action="append", default=[],
                    help="LABROUTER=FILE[ FILE...], session record first")
    ap.add_argument("--offsets", required=True,
                    help="file of 'SIZE PATH' lines taken before the run")
    args = ap.parse_args()
    args.routers = args.routers.split()
    args.cmdlog = {k: v.split() for k, v in
                   (c.split("=", 1) for c in args.cmdlog)}
    offsets = {}
    with open(args.offsets) as f:
        for line in f:
            size, path = line.split(" ", 1)
            offsets[path.strip()] = int(size)

    cases = hostile.load_cases(os.path.join(TOP, "tests", "security",
                                            "cases"), "")
    chosen = [c for c in cases if c.cls in args.classes.split()]
    sent = []
    sends = plan(args, chosen)
    counts = run_cases(args, sends, sent)
    print("#\t%d cases, %d lgctl runs: %s" % (
        len(chosen), len(sends),
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    n = run_good(args, sent)
    print("#\t%d commands ran for the good queries, %d for safe cases" %
          (n, len(sent) - n))
    check_logs(args, chosen, sent, appended(offsets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
