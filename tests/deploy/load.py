"""Load for the deployment tests: threads sending bgp_route queries for
SECS seconds, each to the next URL and router in turn, and checking each
answer against the question asked.

  load.py URLS SECS OUT [ROUTERS] [THREADS] [FRESH]

URLS and ROUTERS are comma-separated (ROUTERS default xr1, THREADS 6).
Targets cycle through 1.0.4.0/24 .. 1.0.11.0/24 (cache hits once
answered); FRESH=1 makes each a random /24 of 1.1.0.0 .. 1.254.255.0,
so that nearly every query misses the cache and reaches a broker.
OUT gets one line "OK BAD WRONG" (and the first of each kind of
failure is printed as a TAP comment): answers that were right, requests that
failed (no answer, an HTTP error or an error result), and answers that
came back for another router or target than asked, or whose command
(as run on the router) is not for the prefix asked about.  A wrong answer is never a failure
that a retry hides: it means the deployment mixed clients up."""

import json
import random
import sys
import threading
import time
import urllib.request

urls = sys.argv[1].split(",")
secs = float(sys.argv[2])
out = sys.argv[3]
routers = sys.argv[4].split(",") if len(sys.argv) > 4 else ["xr1"]
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 6
fresh = len(sys.argv) > 6 and sys.argv[6] == "1"
end = time.time() + secs
res = {"ok": 0, "bad": 0, "wrong": 0}
first = {}
lock = threading.Lock()


def judge(body, router, target):
    """ok, bad or wrong for one answer to (router, target)."""
    try:
        r = json.loads(body)["results"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return "bad"
    if r.get("router") != router or r.get("target") != target:
        return "wrong"
    if target not in r.get("command", ""):
        return "wrong"
    return "ok" if r.get("status") == "ok" else "bad"


def run(n):
    i = 0
    while time.time() < end:
        u = urls[(n + i) % len(urls)]
        router = routers[(n + i) % len(routers)]
        if fresh:
            target = "1.%d.%d.0/24" % (random.randint(1, 254),
                                       random.randint(0, 255))
        else:
            target = "1.0.%d.0/24" % (4 + (n + i) % 8)
        q = "%s/api/v1/query?router=%s&type=bgp_route&target=%s" % (
            u, router, target)
        body = b""
        try:
            with urllib.request.urlopen(q, timeout=30) as r:
                body = r.read()
                verdict = judge(body, router, target) \
                    if r.status == 200 else "bad"
        except Exception as e:
            verdict, body = "bad", str(e).encode()
        with lock:
            res[verdict] += 1
            if verdict != "ok" and verdict not in first:
                first[verdict] = "%s -> %s" % (q, body[:2000].decode(
                    errors="replace"))
        i += 1


ts = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
with open(out, "w") as f:
    f.write("%d %d %d\n" % (res["ok"], res["bad"], res["wrong"]))
# The first failure and the first wrong answer, for the test's log.
for k, v in sorted(first.items()):
    print("# load.py: first %s: %s" % (k, v.replace("\n", "\\n")))
