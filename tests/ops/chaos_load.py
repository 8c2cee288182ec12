#!/usr/bin/env python3
"""Steady query load on lgwebd for the chaos tests.

    chaos_load.py URL OUT STOPFILE ROUTER...

Threads (one per router, two rounds) ask bgp_route 1.0.4.0/24 again and
again until STOPFILE exists.  Each answer is one JSON line in OUT:
time (monotonic, s), router, HTTP status, Retry-After, the result's status
and error code, whether an ok answer is right (its router and target are
the ones asked for and its output names the prefix), and "hang" when no
answer came within 30 s.
"""

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

TARGET = "1.0.4.0/24"


def classify(router, code, headers, body):
    rec = {"router": router, "http": code,
           "retry_after": headers.get("Retry-After")}
    try:
        doc = json.loads(body)
    except ValueError:
        rec["status"] = "unparsable"
        return rec
    if "error" in doc:
        rec["status"] = "error"
        rec["error"] = doc["error"].get("code")
        return rec
    res = doc.get("results", [{}])[0]
    rec["status"] = res.get("status")
    rec["error"] = (res.get("error") or {}).get("code") \
        if isinstance(res.get("error"), dict) else res.get("error")
    if rec["status"] == "ok":
        rec["right"] = (res.get("router") == router and
                        res.get("target") == TARGET and
                        TARGET in (res.get("output") or ""))
    return rec


def worker(url, router, out, lock, stop):
    q = "%s/api/v1/query?router=%s&type=bgp_route&target=%s" % (
        url, router, TARGET)
    while not os.path.exists(stop):
        t = time.monotonic()
        try:
            with urllib.request.urlopen(q, timeout=30) as r:
                rec = classify(router, r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            rec = classify(router, e.code, e.headers, e.read())
        except (TimeoutError, OSError) as e:
            kind = "hang" if "timed out" in str(e) else "refused"
            rec = {"router": router, "http": 0, "status": kind}
            time.sleep(0.05)
        rec["t"] = t
        rec["took"] = time.monotonic() - t
        with lock:
            out.write(json.dumps(rec) + "\n")
            out.flush()
        if rec["http"] != 200:
            time.sleep(0.05)


def main():
    url, path, stop = sys.argv[1:4]
    lock = threading.Lock()
    with open(path, "a") as out:
        ts = [threading.Thread(target=worker,
                               args=(url, r, out, lock, stop))
              for r in sys.argv[4:] * 2]
        for t in ts:
            t.start()
        for t in ts:
            t.join()


main()
