#!/usr/bin/env python3
"""
Checks the lab routers' parsed answers against the generated table, for
tests/broker/test_lab_parsed.sh.

The truth is the upstream's table as tests/lab/gentable.py wrote it
($LAB_DIR/up/table.conf): each route calls a function that prepends the
AS path and adds communities, large communities and a MED.  Every lab
router hears each route from the upstream alone, so its one path has the
upstream's AS first and the upstream's address on its link as next hop.

For COUNT prefixes drawn at random (a fixed seed, both families), one
"lgctl -j query R1,R2,... bgp_route PREFIX" asks every router named; each
parsed answer must hold exactly that prefix with one best path whose AS
path, communities, large communities, next hop and origin are the
table's, and no MED: the table sets one on some routes, but the
upstream (BIRD) sends its eBGP peers a MED only when its export filter
sets one, so the lab routers have none.  Prints, per router, "ok N" or
its mismatches (at most 20).
"""

import argparse
import ipaddress
import json
import random
import re
import subprocess
import sys


def load_table(path):
    funcs, routes = {}, {}
    cur = None
    for line in open(path):
        line = line.strip()
        m = re.match(r"function (\w+)\(\)", line)
        if m:
            cur = funcs.setdefault(m.group(1), {
                "path": [], "communities": [], "large": [], "med": None})
            continue
        if cur is not None:
            m = re.match(r"bgp_path\.prepend\((\d+)\);", line)
            if m:
                cur["path"].insert(0, int(m.group(1)))
            m = re.match(r"bgp_community\.add\(\((\d+),(\d+)\)\);", line)
            if m:
                cur["communities"].append("%s:%s" % m.groups())
            m = re.match(r"bgp_large_community\.add\(\((\d+),(\d+),(\d+)\)\);",
                         line)
            if m:
                cur["large"].append("%s:%s:%s" % m.groups())
            m = re.match(r"bgp_med = (\d+);", line)
            if m:
                cur["med"] = int(m.group(1))
            if line == "}":
                cur = None
            continue
        m = re.match(r"route (\S+) blackhole \{ (\w+)\(\); \};", line)
        if m:
            routes[m.group(1)] = funcs[m.group(2)]
    return routes


def lgctl(args, routers, prefix):
    out = subprocess.run(args + ["-j", "query", ",".join(routers),
                                 "bgp_route", prefix],
                         capture_output=True, text=True, timeout=120)
    try:
        return {r["router"]: r for r in json.loads(out.stdout)["results"]}
    except (ValueError, KeyError):
        return {r: {"error": out.stderr.strip() or out.stdout[:200]}
                for r in routers}


def compare(res, prefix, truth, upstream_asn, nexthop):
    parsed = res.get("parsed")
    if not isinstance(parsed, dict):
        return "parsed is %r (%s)" % (parsed, res.get("error"))
    if "error" in parsed:
        return "parse error %r at line %r" % (parsed["error"],
                                              parsed.get("line"))
    pfx = [p for p in parsed.get("prefixes") or []
           if p.get("prefix") == prefix]
    if len(pfx) != 1 or len(parsed["prefixes"]) != 1:
        return "prefixes %r" % [p.get("prefix")
                                for p in parsed.get("prefixes") or []]
    best = [p for p in pfx[0].get("paths") or [] if p.get("best")]
    if len(best) != 1:
        return "%d best paths" % len(best)
    p = best[0]
    want = {
        "as_path": [upstream_asn] + truth["path"],
        "communities": sorted(truth["communities"]),
        "large_communities": sorted(truth["large"]),
        "next_hop": nexthop,
        "med": None,
        "origin": "igp",
    }
    got = {
        "as_path": p.get("as_path"),
        "communities": sorted(p.get("communities") or []),
        "large_communities": sorted(p.get("large_communities") or []),
        "next_hop": p.get("next_hop"),
        "med": p.get("med"),
        "origin": (p.get("origin") or "").lower(),
    }
    diff = ["%s: want %r, got %r" % (k, want[k], got[k])
            for k in want if want[k] != got[k]]
    return "; ".join(diff) if diff else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--upstream-asn", type=int, required=True)
    ap.add_argument("--router", action="append", required=True,
                    help="NAME=NEXTHOP4,NEXTHOP6")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("lgctl", nargs="+")
    a = ap.parse_args()

    table = load_table(a.table)
    rng = random.Random(a.seed)
    v4 = sorted(p for p in table if ipaddress.ip_network(p).version == 4)
    v6 = sorted(p for p in table if ipaddress.ip_network(p).version == 6)
    n6 = a.count // 4
    picks = rng.sample(v4, a.count - n6) + rng.sample(v6, n6)
    routers = {}
    for spec in a.router:
        name, hops = spec.split("=")
        routers[name] = hops.split(",")
    bad = {r: [] for r in routers}
    for prefix in picks:
        fam = ipaddress.ip_network(prefix).version
        results = lgctl(a.lgctl, list(routers), prefix)
        for r, hops in routers.items():
            why = compare(results.get(r, {}), prefix, table[prefix],
                          a.upstream_asn, hops[0 if fam == 4 else 1])
            if why:
                bad[r].append("%s: %s" % (prefix, why))
    for r in routers:
        if bad[r]:
            print("%s %d of %d wrong" % (r, len(bad[r]), len(picks)))
            for line in bad[r][:20]:
                print("#   " + line)
        else:
            print("%s ok %d" % (r, len(picks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
