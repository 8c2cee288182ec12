#!/usr/bin/env python3
"""
Route facts on the lab's parsed answers, for tests/broker/test_rpki.sh.

  vrps VARIANT OUT [--extra PREFIX,MAXLEN,ASN ...]
                       writes an rpki-client style VRP file for the lab's
                       generated table (tests/lab/gentable.py): of a fixed
                       sample of prefixes, a quarter are valid (a VRP for
                       their origin and length), a quarter invalid by
                       origin (a VRP for another AS), a quarter invalid by
                       max length (a VRP of their origin for a shorter
                       covering prefix) and a quarter have no VRP at all.
                       VARIANT 2 rotates the categories, so every sampled
                       prefix changes state.  conf/demo.sh uses it too,
                       with --extra VRPs for the demo's routes to try.
  facts DIR            writes DIR/asn.csv (names for some of the table's
                       ASes, plus a header, a comment and two bad lines)
                       and DIR/communities/ (patterns for the table's
                       communities: a wildcard, a range, large ones)
  check VRPS FACTSDIR [--community C]
                       asks ROUTER for every sampled prefix (lgctl -j
                       query ROUTER bgp_route PREFIX) and compares each
                       path's rpki, rpki_reason, as_names and
                       community_descriptions with what this script
                       computes from the VRP file (RFC 6811) and the facts
                       it wrote.  Prints "ok N valid=.. invalid_origin=..
                       invalid_max_length=.. not_found=.." or the
                       mismatches.  Valid and invalid paths must list
                       the VRPs that decided them (rpki_vrps), checked
                       against the file too, and every answer must hold
                       to schema/parsed.schema.json.  FACTSDIR "-": the
                       rpki states only.  --unknown: every path's rpki
                       must be "unknown" with no VRP listed (no VRPs:
                       none yet, or expired), whatever VRPS says.
                       --community C: one bgp_community query for C
                       instead, every path of every prefix in its answer
                       checked the same way ("ok N prefixes M paths").

The expected RPKI states come from the VRP file alone: whatever VRPs a
prefix falls under, origin = the last AS of the path.
"""

import argparse
import ipaddress
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab_parsed import load_table  # noqa: E402

OTHER_AS = 64496        # documentation ASN: originates nothing in the lab
UPSTREAM_AS = 64500     # gentable.py's upstream, first on every lab path
DESCR = {
    "wild": "Tagged by a customer (64500:10nn)",
    "range": "Transit tag 100-2001",
    "large": "Large community of the upstream",
}


def sample(table, count, seed):
    rng = random.Random(seed)
    v4 = sorted(p for p in table if ipaddress.ip_network(p).version == 4)
    v6 = sorted(p for p in table if ipaddress.ip_network(p).version == 6)
    n6 = count // 4
    return rng.sample(v4, count - n6) + rng.sample(v6, n6)


def vrps(table, picks, variant, extra):
    roas = [(p, int(m), int(a)) for p, m, a in
            (e.split(",") for e in extra)]
    for i, prefix in enumerate(picks):
        net = ipaddress.ip_network(prefix)
        origin = table[prefix]["path"][-1]
        kind = (i + variant - 1) % 4
        if kind == 0:
            roas.append((prefix, net.prefixlen, origin))
        elif kind == 1:
            roas.append((prefix, net.prefixlen, OTHER_AS))
        elif kind == 2 and net.prefixlen > 8:
            sup = net.supernet(prefixlen_diff=1)
            roas.append((str(sup), sup.prefixlen, origin))
    return {
        "metadata": {"buildtime": "2026-01-01T00:00:00Z",
                     "roas": len(roas)},
        "roas": [{"prefix": p, "maxLength": m, "asn": "AS%d" % a,
                  "ta": "lab"} for p, m, a in roas],
    }


def load_vrps(path):
    out = []
    for r in json.load(open(path))["roas"]:
        asn = r["asn"]
        if isinstance(asn, str):
            asn = int(asn.upper().lstrip("AS"))
        out.append((ipaddress.ip_network(r["prefix"]), r["maxLength"], asn))
    return out


def rfc6811(vrps, prefix, origin):
    """(state, reason) as the schema writes them."""
    net = ipaddress.ip_network(prefix)
    covering = [v for v in vrps if v[0].version == net.version and
                net.subnet_of(v[0])]
    if not covering:
        return "not-found", None
    if any(asn == origin and net.prefixlen <= maxlen
           for _, maxlen, asn in covering):
        return "valid", None
    if any(asn == origin for _, _, asn in covering):
        return "invalid", "max_length"
    return "invalid", "origin"


VRPS_MAX = 8     # RPKI_VRPS_MAX: a path lists at most this many


def want_vrps(vrps, prefix, origin, st):
    """
    (exact, allowed): the rpki_vrps a path must list (as a set of
    (prefix, max_length, asn)) when exact, else the set it must list
    from.  Invalid: every covering VRP; valid: those that validate it
    (RTRlib stops at the first covering prefix that has one, so any non
    empty part of them); none otherwise.
    """
    net = ipaddress.ip_network(prefix)
    covering = {(str(v[0]), v[1], v[2]) for v in vrps
                if v[0].version == net.version and net.subnet_of(v[0])}
    if st == "invalid":
        return len(covering) <= VRPS_MAX, covering
    if st == "valid":
        return False, {v for v in covering
                       if v[2] == origin and net.prefixlen <= v[1]}
    return True, set()


def check_vrps(p, prefix, vrps, st):
    """The path's rpki_vrps against the VRP file; a list of errors."""
    path = p.get("as_path") or []
    exact, want = want_vrps(vrps, prefix, path[-1], st)
    got = p.get("rpki_vrps")
    if not want:
        return [] if got is None else ["rpki_vrps %r, want none" % got]
    if not isinstance(got, list) or not got:
        return ["rpki_vrps %r, want %r" % (got, sorted(want))]
    listed = [(v.get("prefix"), v.get("max_length"), v.get("asn"))
              for v in got]
    if len(set(listed)) != len(listed) or len(listed) > VRPS_MAX:
        return ["rpki_vrps %r: repeated or over %d" % (listed, VRPS_MAX)]
    if (exact and set(listed) != want) or not set(listed) <= want:
        return ["rpki_vrps %r, want %s%r" % (
            sorted(listed), "" if exact else "some of ", sorted(want))]
    return []


def facts(table, d):
    asns = sorted({a for r in table.values() for a in r["path"]} |
                  {UPSTREAM_AS})
    names = {a: "LAB-AS%d Lab, \"Inc\"" % a for a in asns if a % 2 == 0}
    with open(os.path.join(d, "asn.csv"), "w") as f:
        f.write("asn,name,class,cc\n# names of the even ASes\n")
        for a, n in sorted(names.items()):
            f.write('AS%d,"%s",Transit,ZZ\n' % (a, n.replace('"', '""')))
        f.write("not-an-asn,BROKEN\n64497\n")
    os.makedirs(os.path.join(d, "communities"), exist_ok=True)
    transits = sorted({r["path"][0] for r in table.values()})
    with open(os.path.join(d, "communities", "lab.txt"), "w") as f:
        f.write("# the lab's communities\n64500:10nn,%s\n" % DESCR["wild"])
        for t in transits:
            f.write("%d:100-2001,%s\n" % (t, DESCR["range"]))
        f.write("64500:1-9:0-999,%s\nbroken line\n" % DESCR["large"])
    return names


def load_names(d):
    names = {}
    for line in open(os.path.join(d, "asn.csv")):
        m = re.match(r'AS(\d+),"(.*)",', line)
        if m:
            names[int(m.group(1))] = m.group(2).replace('""', '"')
    return names


def want_descr(c, transits):
    f = [int(x) for x in c.split(":")]
    if len(f) == 3:
        return DESCR["large"] if f[0] == 64500 and 1 <= f[1] <= 9 and \
            f[2] <= 999 else None
    if f[0] == 64500 and 1000 <= f[1] <= 1099:
        return DESCR["wild"]
    if f[0] in transits and 100 <= f[1] <= 2001:
        return DESCR["range"]
    if c == "65535:65281":
        return "well-known community no-export"
    return None


def check_path(p, prefix, vrp, names, transits):
    errs = []
    path = p.get("as_path") or []
    st, why = rfc6811(vrp, prefix, path[-1]) if vrp is not None else \
        ("unknown", None)
    if (p.get("rpki"), p.get("rpki_reason")) != (st, why):
        errs.append("rpki %r/%r, want %r/%r (origin %d)" % (
            p.get("rpki"), p.get("rpki_reason"), st, why, path[-1]))
    if vrp is not None:
        errs += check_vrps(p, prefix, vrp, st)
    elif p.get("rpki_vrps") is not None:
        errs.append("rpki_vrps %r, want none (unknown)" % p.get("rpki_vrps"))
    if names is None:
        return st if why is None else st + "_" + why, errs
    want = {str(a): names[a] for a in path if a in names}
    if p.get("as_names") != want:
        errs.append("as_names %r, want %r" % (p.get("as_names"), want))
    want = {}
    comms = (p.get("communities") or []) + (p.get("large_communities") or [])
    for c in comms:
        d = want_descr(c, transits)
        if d:
            want[c] = d
    if not comms:
        want = None     # absent when the path has no community
    if p.get("community_descriptions") != want:
        errs.append("community_descriptions %r, want %r" % (
            p.get("community_descriptions"), want))
    return st if why is None else st + "_" + why, errs


def schema_validator():
    """The parsed answers' schema (python3-jsonschema, in tests/deps.sh)."""
    import jsonschema
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(top, "schema", "parsed.schema.json")) as f:
        return jsonschema.Draft202012Validator(json.load(f))


def check(a, table, picks):
    validator = schema_validator()
    vrp = None if a.unknown else load_vrps(a.vrps)
    names = None if a.factsdir == "-" else load_names(a.factsdir)
    transits = {r["path"][0] for r in table.values()}
    counts, bad, paths, listing = {}, [], 0, 0
    for prefix in picks:
        out = subprocess.run(a.lgctl + ["-j", "query", a.router,
                                        "bgp_route", prefix],
                             capture_output=True, text=True, timeout=120)
        try:
            res = json.loads(out.stdout)["results"][0]
            pfx = [x for x in res["parsed"]["prefixes"]
                   if x["prefix"] == prefix][0]
        except (ValueError, KeyError, IndexError, TypeError):
            bad.append("%s: no parsed answer (%s)" % (
                prefix, out.stderr.strip()[:200]))
            continue
        bad += ["%s: schema: %s: %s" % (
            prefix, "/".join(str(x) for x in e.absolute_path),
            e.message[:200]) for e in validator.iter_errors(res["parsed"])]
        for p in pfx["paths"]:
            paths += 1
            st, errs = check_path(p, prefix, vrp, names, transits)
            counts[st] = counts.get(st, 0) + 1
            listing += bool(p.get("rpki_vrps")) and not errs
            bad += ["%s: %s" % (prefix, e) for e in errs]
    summary = " ".join("%s=%d" % (k.replace("-", "_"), counts.get(k, 0))
                       for k in ("valid", "invalid_origin",
                                 "invalid_max_length", "not-found",
                                 "unknown"))
    summary += " listing_vrps=%d" % listing
    if bad:
        print("wrong %d of %d paths %s" % (len(bad), paths, summary))
        for line in bad[:20]:
            print("#   " + line)
    else:
        print("ok %d prefixes %d paths %s" % (len(picks), paths, summary))


def check_community(a, table):
    """One bgp_community answer of many prefixes (its facts are made on
    the broker's facts thread while it is parsed): every path of every
    prefix as check_path computes it."""
    validator = schema_validator()
    vrp = None if a.unknown else load_vrps(a.vrps)
    names = None if a.factsdir == "-" else load_names(a.factsdir)
    transits = {r["path"][0] for r in table.values()}
    out = subprocess.run(a.lgctl + ["-j", "query", a.router,
                                    "bgp_community", a.community],
                         capture_output=True, text=True, timeout=300)
    try:
        parsed = json.loads(out.stdout)["results"][0]["parsed"]
        pfxs = parsed["prefixes"]
    except (ValueError, KeyError, IndexError, TypeError):
        print("no parsed answer (%s)" % out.stderr.strip()[:200])
        return
    bad = ["schema: %s: %s" % ("/".join(str(x) for x in e.absolute_path),
                               e.message[:200])
           for e in validator.iter_errors(parsed)][:5]
    counts, paths = {}, 0
    for pfx in pfxs:
        for p in pfx["paths"]:
            paths += 1
            st, errs = check_path(p, pfx["prefix"], vrp, names, transits)
            counts[st] = counts.get(st, 0) + 1
            bad += ["%s: %s" % (pfx["prefix"], e) for e in errs]
    summary = " ".join("%s=%d" % (k.replace("-", "_"), v)
                       for k, v in sorted(counts.items()))
    if bad:
        print("wrong %d of %d paths %s" % (len(bad), paths, summary))
        for line in bad[:20]:
            print("#   " + line)
    else:
        print("ok %d prefixes %d paths %s" % (len(pfxs), paths, summary))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", required=True)
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=17)
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("vrps")
    v.add_argument("variant", type=int)
    v.add_argument("out")
    v.add_argument("--extra", action="append", default=[],
                   help="PREFIX,MAXLEN,ASN: one more VRP")
    f = sub.add_parser("facts")
    f.add_argument("dir")
    c = sub.add_parser("check")
    c.add_argument("vrps")
    c.add_argument("factsdir")
    c.add_argument("--router", required=True)
    c.add_argument("--unknown", action="store_true")
    c.add_argument("--community",
                   help="one bgp_community query instead of bgp_route ones")
    c.add_argument("lgctl", nargs="+")
    a = ap.parse_args()

    table = load_table(a.table)
    picks = sample(table, a.count, a.seed)
    if a.cmd == "vrps":
        tmp = a.out + ".tmp"
        with open(tmp, "w") as out:
            json.dump(vrps(table, picks, a.variant, a.extra), out)
        os.rename(tmp, a.out)
    elif a.cmd == "facts":
        facts(table, a.dir)
    elif a.community:
        check_community(a, table)
    else:
        check(a, table, picks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
