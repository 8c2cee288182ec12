#!/usr/bin/env python3
"""Generates the lab's BGP table for the upstream BIRD router.

The table is deterministic for a given seed, so every test sees the same
prefixes, paths and communities.  Prefixes are public-looking unicast
space (special-purpose ranges excluded); AS paths, communities and large
communities vary per origin the way they do in a real table: a few origins
announce many prefixes, most announce one or two, some prepend.

Output: a BIRD 2 configuration fragment with one function per path class
and two static protocols (table4, table6) whose routes call them (--out:
the first upstream's table, the truth tests compare answers with), the
second upstream's routes (--alt-out, see below), plus the numbers of
prefixes written and the facts (on stdout, shell-sourceable).

The lab also disagrees with itself: a second upstream, AS 64510, sends a
few prefixes of its own (table alt4) to some routers only, with shorter
paths and other communities, so those routers pick other best paths and
longest matches than the rest.  SPLIT below decides what goes to whom;
alt_export(N) is the upstream's export filter towards router rN.
"""

import argparse
import itertools
import ipaddress
import random

# Routes every test may rely on.  Nothing generated overlaps them, and
# nothing generated carries their community, large community or ASes.
UPSTREAM_ASN = 64500
WELL_KNOWN = [
    # name, prefix, path behind the upstream, communities, large ones
    ("ROUTE4", "1.0.4.0/24", [65010, 65020], ["65000:100", "65010:200"],
     ["65000:1:2"]),
    ("ROUTE4_B", "9.9.9.0/24", [65040, 65050, 65050, 65050],
     ["65000:200"], []),
    ("ROUTE6", "2a00:1450::/32", [65010, 65030], ["65000:100"],
     ["65000:1:2"]),
    ("ROUTE6_B", "2600:1f00::/32", [65040, 65060], ["65000:200"], []),
    # Split below: the first upstream's view of them.
    ("SPLIT4", "1.0.8.0/24", [65070, 65071, 65072], ["65000:300"], []),
    ("SPLIT4_COVER", "1.0.9.0/24", [65074], ["65000:400"], []),
]
SECOND_ASN = 64510
# What the second upstream sends, and to which routers (their indices):
# name, prefix, path behind it, communities, routers.  SPLIT4 reaches r1
# and r3 by a shorter path (so r2 alone differs); SPLIT4_MORE, a more
# specific of SPLIT4_COVER, reaches r1 alone (so its longest match for
# an address in the /25 differs from the others').
SPLIT = [
    ("SPLIT4", "1.0.8.0/24", [65073, 65072], ["64510:100", "65000:300"],
     (1, 3)),
    ("SPLIT4_MORE", "1.0.9.128/25", [65074], ["64510:200"], (1,)),
]
# Facts about them, for lab.env.
FACTS = [
    ("LAB_COMMUNITY", "65000:100"),      # on ROUTE4 and ROUTE6 only
    ("LAB_COMMUNITY_B", "65000:200"),    # on ROUTE4_B and ROUTE6_B only
    ("LAB_LARGE_COMMUNITY", "65000:1:2"),  # on ROUTE4 and ROUTE6 only
    ("LAB_ASPATH_AS", "65010"),          # in the paths of ROUTE4, ROUTE6
]

SPECIAL4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
    "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")]

# Real tables are dominated by /24s, then /22 and /23.
LEN4 = [(24, 58), (23, 10), (22, 14), (21, 5), (20, 5), (19, 3),
        (18, 1.5), (17, 1), (16, 2.5)]
LEN6 = [(48, 45), (32, 15), (44, 10), (40, 8), (36, 5), (46, 5),
        (47, 3), (33, 3), (34, 2), (35, 2), (38, 2)]
POOL6 = [ipaddress.ip_network(n) for n in
         ("2400::/12", "2600::/12", "2a00::/12")]

TRANSIT = [174, 1299, 2914, 3257, 3356, 3491, 6453, 6461, 6762, 6939,
           7018, 12956]


def weighted(rng, table):
    lens = [length for length, w in table if w > 0]
    weights = [w for length, w in table if w > 0]
    return rng.choices(lens, weights)[0]


def public_asn(rng):
    # 16-bit ASes below the documentation/private ranges, or 4-byte ones.
    while True:
        if rng.random() < 0.7:
            asn = rng.randint(1000, 64000)
        else:
            asn = rng.randint(131072, 213000)
        if asn != 23456:
            return asn


def span(net):
    """The first and last address of a network, as integers."""
    return int(net.network_address), int(net.broadcast_address)


def blocked(version, lo, hi, avoid):
    """True when [lo, hi] overlaps a range in avoid (a list of spans)."""
    return any(a <= hi and lo <= b for v, a, b in avoid if v == version)


def gen_prefixes(rng, count, version, avoid):
    """count distinct random prefixes of one family, none touching avoid."""
    bits = 32 if version == 4 else 128
    table = LEN4 if version == 4 else LEN6
    out = set()
    while len(out) < count:
        length = weighted(rng, table)
        if version == 4:
            addr = rng.randint(1 << 24, (224 << 24) - 1)
        else:
            lo, hi = span(rng.choice(POOL6))
            addr = rng.randint(lo, hi)
        lo = addr >> (bits - length) << (bits - length)
        hi = lo | ((1 << (bits - length)) - 1)
        if (lo, length) not in out and not blocked(version, lo, hi, avoid):
            out.add((lo, length))
    return [ipaddress.ip_network((lo, length)) for lo, length in sorted(out)]


def gen_class(rng):
    """One origin: its AS path behind the upstream and its attributes."""
    origin = public_asn(rng)
    path = [rng.choice(TRANSIT)]
    for _ in range(rng.choices([0, 1, 2, 3], [35, 40, 18, 7])[0]):
        path.append(public_asn(rng))
    path.append(origin)
    if rng.random() < 0.1:
        path += [origin] * rng.randint(1, 3)
    comms = sorted({"%d:%d" % (path[0], rng.choice(
        [2, 100, 200, 1000, 2001, 3000, 20000, 30000, 65100]))
        for _ in range(rng.randint(0, 3))})
    if rng.random() < 0.3:
        comms.append("64500:%d" % rng.randint(1000, 1099))
    large = sorted({"64500:%d:%d" % (rng.randint(1, 9), rng.randint(1, 999))
                    for _ in range(rng.choices([0, 1, 2], [55, 35, 10])[0])})
    med = rng.choice([None, None, None, 0, 10, 50, 100])
    return path, comms, large, med


def bird_function(name, path, comms, large, med):
    lines = ["function %s()" % name, "{"]
    for asn in reversed(path):
        lines.append("\tbgp_path.prepend(%d);" % asn)
    for c in comms:
        lines.append("\tbgp_community.add((%s));" % c.replace(":", ","))
    for c in large:
        lines.append("\tbgp_large_community.add((%s));" %
                     c.replace(":", ","))
    if med is not None:
        lines.append("\tbgp_med = %d;" % med)
    lines.append("\tbgp_origin = ORIGIN_IGP;")
    lines.append("}")
    return "\n".join(lines)


def assign(rng, prefixes, nclasses):
    # Zipf-like: class k gets weight 1/(k+1), so a few origins are big.
    cum = list(itertools.accumulate(1.0 / (k + 1) for k in range(nclasses)))
    picks = rng.choices(range(nclasses), cum_weights=cum, k=len(prefixes))
    return zip(prefixes, picks)


def print_route(name, prefix, upstream, path, comms):
    """A route's facts for lab.env, as its routers see it."""
    net = ipaddress.ip_network(prefix)
    print("LAB_%s='%s'" % (name, prefix))
    print("LAB_%s_ADDR='%s'" % (name, net.network_address + 1))
    print("LAB_%s_PATH='%s'" % (name, " ".join(
        str(a) for a in [upstream] + path)))
    print("LAB_%s_COMMUNITIES='%s'" % (name, " ".join(comms)))


def split_table():
    """The second upstream's routes (table alt4) and alt_export(n)."""
    out = ["# Generated by gentable.py; do not edit.  The second upstream.",
           "ipv4 table alt4;"]
    for i, (_, prefix, path, comms, _) in enumerate(SPLIT):
        out.append(bird_function("alt%d" % i, path, comms, [], None))
    out += ["protocol static split4 {", "\tipv4 { table alt4; };"]
    for i, s in enumerate(SPLIT):
        out.append("\troute %s blackhole { alt%d(); };" % (s[1], i))
    out += ["}", "function alt_export(int n)", "{"]
    for n in sorted({n for s in SPLIT for n in s[4]}):
        nets = ", ".join(s[1] for s in SPLIT if n in s[4])
        out.append("\tif n = %d then return net ~ [ %s ];" % (n, nets))
    out += ["\treturn false;", "}"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--v4", type=int, default=50000)
    ap.add_argument("--v6", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=8522)
    ap.add_argument("--out", required=True)
    ap.add_argument("--alt-out", required=True,
                    help="the second upstream's routes (table alt4)")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    known = [ipaddress.ip_network(w[1]) for w in WELL_KNOWN + SPLIT]
    avoid = [(n.version,) + span(n) for n in known + SPECIAL4]
    k4 = sum(1 for w in WELL_KNOWN if ipaddress.ip_network(w[1]).version == 4)
    k6 = len(WELL_KNOWN) - k4
    p4 = gen_prefixes(rng, args.v4 - k4, 4, avoid)
    p6 = gen_prefixes(rng, args.v6 - k6, 6, avoid)
    classes4 = [gen_class(rng) for _ in range(max(1, len(p4) // 12))]
    classes6 = [gen_class(rng) for _ in range(max(1, len(p6) // 8))]

    out = ["# Generated by gentable.py --seed %d; do not edit." % args.seed]
    for i, w in enumerate(WELL_KNOWN):
        out.append(bird_function("wk%d" % i, w[2], w[3], w[4], None))
    for i, c in enumerate(classes4):
        out.append(bird_function("c4_%d" % i, *c))
    for i, c in enumerate(classes6):
        out.append(bird_function("c6_%d" % i, *c))
    for family, pfx, classes, tag in (("ipv4", p4, classes4, "c4_"),
                                      ("ipv6", p6, classes6, "c6_")):
        version = 4 if family == "ipv4" else 6
        out.append("protocol static table%d {" % version)
        out.append("\t%s;" % family)
        for i, w in enumerate(WELL_KNOWN):
            if ipaddress.ip_network(w[1]).version == version:
                out.append("\troute %s blackhole { wk%d(); };" % (w[1], i))
        for p, k in assign(rng, pfx, len(classes)):
            out.append("\troute %s blackhole { %s%d(); };" % (p, tag, k))
        out.append("}")
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(args.alt_out, "w") as f:
        f.write("\n".join(split_table()) + "\n")
    print("TABLE_V4=%d" % (len(p4) + k4))
    print("TABLE_V6=%d" % (len(p6) + k6))
    for name, prefix, path, comms, large in WELL_KNOWN:
        print_route(name, prefix, UPSTREAM_ASN, path, comms)
        print("LAB_%s_LARGE_COMMUNITIES='%s'" % (name, " ".join(large)))
    print("LAB_SECOND_ASN=%d" % SECOND_ASN)
    for name, prefix, path, comms, to in SPLIT:
        print_route(name + "_ALT", prefix, SECOND_ASN, path, comms)
        print("LAB_%s_ALT_ROUTERS='%s'" % (name, " ".join(
            "r%d" % n for n in to)))
    for key, value in FACTS:
        print("%s='%s'" % (key, value))


if __name__ == "__main__":
    main()
