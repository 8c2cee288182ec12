#!/usr/bin/env python3
"""Mixed traffic through lgwebd for the soak, and its verdict.

    soak_load.py reference URL PLAN REF     what each router holds
    soak_load.py run URL PLAN REF OUT STOP  traffic until STOP exists
    soak_load.py verdict OUT FAULTS         counts, and the wrong answers

PLAN (JSON) names the queries each router gets:
{"routers": {"NAME": [["TYPE", "TARGET"], ...]}, "workers": N,
 "volatile": ["bgp_summary"], "probes": ["ping", "traceroute"]}.
Answers of a volatile type are compared with their numbers blanked out
(counters and times change); of a probe type, only the header line.

reference asks every router each of its queries through the JSON API
before any fault is on, until it answers ok, and writes the texts to REF;
a query the router's driver does not offer (unsupported) leaves PLAN.

run keeps N workers busy until STOP exists.  A request is one of:
the JSON API for one router or for several at once, the SSE stream (read
to its end, or dropped after the first event: a client that goes away
mid-stream), or RFC 8522.  bgp_route answers come from lgwebd's cache
as often as from a router.  Routers come and go with reloads: a worker
asks only routers that lgwebd lists, and a router that went away in
between is an expected error, never a wrong answer.  Every answer is one
JSON line in OUT: time, kind, router, type, HTTP status, result status,
error code, truncated, and "right": whether an ok answer's text is what
REF says that router holds.

verdict reads OUT and FAULTS (one JSON line per fault: router, fault,
t0, t1) and prints "name value" lines.  An ok answer that differs from
the reference is wrong, unless it is truncated while a flood fault was
on for that router (a flood is a different answer, cut at the cap).
"""

import difflib
import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 120
NUMBER = re.compile(r"\d+(\.\d+)?")
BLANKS = re.compile(r"[ \t]+")
# What changes with the clock in a route's text: FRR's "Last update:"
# date, BIRD's and Junos's times of day, ages and uptimes.
CLOCK = re.compile(r"Last update: .*|"
                   r"\b\d{4}-\d\d-\d\d\b|"
                   r"\b\d{1,2}:\d\d:\d\d(\.\d+)?\b|"
                   r"\b(\d+[wdhms]){1,4}\b")


def normal(text, qtype, plan):
    text = (text or "").rstrip("\n")
    # A probe's lines after its header are what the network did this
    # time (a lost reply is "* * *", and a loaded kernel rate-limits its
    # ICMP errors): only the header, numbers blanked, is compared.
    if qtype in plan.get("probes", []):
        return NUMBER.sub("#", text.split("\n", 1)[0])
    # Counters (a summary's messages, uptimes) change, and a table's
    # columns move when one gains a digit: numbers and runs of blanks.
    if qtype in plan.get("volatile", []):
        return BLANKS.sub(" ", NUMBER.sub("#", text))
    return CLOCK.sub("@", text)


def fetch(url, timeout=TIMEOUT):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def query_url(base, routers, qtype, target, path="/api/v1/query"):
    args = [("router", r) for r in routers] + [("type", qtype)]
    if target:
        args.append(("target", target))
    return base + path + "?" + urllib.parse.urlencode(args)


def reference(base, plan, plan_path, out):
    ref = {}
    for router, queries in plan["routers"].items():
        for qtype, target in list(queries):
            for attempt in range(20):
                code, body = fetch(query_url(base, [router], qtype, target))
                try:
                    res = json.loads(body)["results"][0]
                except (ValueError, KeyError, IndexError):
                    res = {}
                if res.get("status") == "ok" and not res.get("truncated"):
                    ref["%s %s %s" % (router, qtype, target)] = \
                        normal(res.get("output"), qtype, plan)
                    break
                if (res.get("error") or {}).get("code") == "unsupported":
                    queries.remove([qtype, target])
                    break
                time.sleep(1)
            else:
                print("no reference for %s %s %s: HTTP %s, %s" %
                      (router, qtype, target, code,
                       res.get("error") or body[:300]),
                      file=sys.stderr)
                return 1
    with open(out, "w") as f:
        json.dump(ref, f)
    # The run asks only what each router offers.
    with open(plan_path, "w") as f:
        json.dump(plan, f)
    return 0


class Load:
    def __init__(self, base, plan, ref, out, stop):
        self.base, self.plan, self.ref, self.stop = base, plan, ref, stop
        self.out = open(out, "a")
        self.lock = threading.Lock()
        self.listed = []
        self.listed_at = 0.0

    def routers(self):
        with self.lock:
            if time.monotonic() - self.listed_at < 3 and self.listed:
                return list(self.listed)
        try:
            code, body = fetch(self.base + "/api/v1/routers", 10)
            names = [r["name"] for r in json.loads(body)["routers"]]
        except (OSError, ValueError, KeyError):
            names = []
        names = [n for n in names if n in self.plan["routers"]]
        with self.lock:
            self.listed, self.listed_at = names, time.monotonic()
        return names

    def record(self, rec):
        rec.setdefault("took", time.monotonic() - rec["t"])
        with self.lock:
            self.out.write(json.dumps(rec) + "\n")
            self.out.flush()

    def judge(self, rec, res, router, qtype, target):
        rec.update(status=res.get("status"), truncated=bool(
            res.get("truncated")))
        err = res.get("error")
        rec["error"] = err.get("code") if isinstance(err, dict) else err
        if rec["status"] == "ok":
            want = self.ref.get("%s %s %s" % (router, qtype, target))
            got = normal(res.get("output"), qtype, self.plan)
            rec["right"] = res.get("router", router) == router and \
                got == want
            if not rec["right"]:
                rec["got"], rec["want"] = got[:4000], (want or "")[:4000]
        self.record(rec)

    def pick(self):
        names = self.routers()
        if not names:
            return None, None, None
        router = random.choice(names)
        qtype, target = random.choice(self.plan["routers"][router])
        return router, qtype, target

    def json_one(self, rec, router, qtype, target):
        code, body = fetch(query_url(self.base, [router], qtype, target))
        rec["http"] = code
        try:
            doc = json.loads(body)
        except ValueError:
            rec["status"] = "unparsable"
            return self.record(rec)
        if "results" not in doc:
            rec["status"] = "error"
            rec["error"] = (doc.get("error") or {}).get("code")
            return self.record(rec)
        self.judge(rec, doc["results"][0], router, qtype, target)

    def json_many(self, rec, router, qtype, target):
        names = [n for n in self.routers() if
                 [qtype, target] in self.plan["routers"][n]]
        many = random.sample(names, min(len(names), 3))
        code, body = fetch(query_url(self.base, many, qtype, target))
        try:
            doc = json.loads(body)
        except ValueError:
            rec.update(http=code, status="unparsable")
            return self.record(rec)
        if "results" not in doc:
            rec.update(http=code, status="error",
                       error=(doc.get("error") or {}).get("code"))
            return self.record(rec)
        results = doc["results"]
        for res in results:
            one = dict(rec, http=code, router=res.get("router"))
            self.judge(one, res, res.get("router"), qtype, target)

    def sse(self, rec, router, qtype, target, drop):
        url = query_url(self.base, [router], qtype, target,
                        "/api/v1/query/stream")
        text, end = [], None
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
                rec["http"] = r.status
                event = None
                for line in r:
                    line = line.decode("utf-8", "replace").rstrip("\n")
                    if line.startswith("event: "):
                        event = line[7:]
                        if drop:
                            rec["status"] = "dropped"
                            return self.record(rec)
                    elif line.startswith("data: ") and event == "output":
                        text.append(json.loads(line[6:])["text"])
                    elif line.startswith("data: ") and event == "end":
                        end = json.loads(line[6:])
                    elif line.startswith("data: ") and event == "done":
                        break
        except urllib.error.HTTPError as e:
            rec.update(http=e.code, status="error")
            return self.record(rec)
        if end is None:
            rec["status"] = "unfinished"
            return self.record(rec)
        end["output"] = "".join(text)
        self.judge(rec, end, router, qtype, target)

    def rfc8522(self, rec, router, qtype, target):
        paths = {"bgp_route": "show/bgp/%s", "ping": "ping/%s",
                 "traceroute": "traceroute/%s", "bgp_summary":
                 "show/bgp/summary"}
        if qtype not in paths:
            return self.json_one(rec, router, qtype, target)
        path = paths[qtype] % target if "%s" in paths[qtype] else \
            paths[qtype]
        url = "%s/.well-known/looking-glass/v1/%s?%s" % (
            self.base, path, urllib.parse.urlencode({"router": router}))
        code, body = fetch(url)
        rec["http"] = code
        try:
            doc = json.loads(body)
        except ValueError:
            rec["status"] = "unparsable"
            return self.record(rec)
        data = doc.get("data") or {}
        res = {"status": {"success": "ok"}.get(doc.get("status"),
                                               doc.get("status")),
               "truncated": data.get("truncated"),
               "error": data.get("code"),
               "output": "\n".join(data.get("output") or [])}
        self.judge(rec, res, router, qtype, target)

    def worker(self):
        while not os.path.exists(self.stop):
            router, qtype, target = self.pick()
            if router is None:
                time.sleep(0.5)
                continue
            kind = random.choices(
                ["json", "many", "sse", "drop", "rfc8522"],
                [50, 10, 20, 8, 12])[0]
            rec = {"t": time.monotonic(), "kind": kind, "router": router,
                   "type": qtype, "target": target}
            try:
                if kind == "json":
                    self.json_one(rec, router, qtype, target)
                elif kind == "many":
                    self.json_many(rec, router, qtype, target)
                elif kind in ("sse", "drop"):
                    self.sse(rec, router, qtype, target, kind == "drop")
                else:
                    self.rfc8522(rec, router, qtype, target)
            except (OSError, ValueError) as e:
                rec.update(http=0, status="hang" if "timed out" in str(e)
                           else "refused", error=str(e)[:80])
                self.record(rec)
                time.sleep(0.2)


def run(base, plan, ref, out, stop):
    load = Load(base, plan, ref, out, stop)
    ts = [threading.Thread(target=load.worker)
          for _ in range(plan.get("workers", 6))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return 0


def verdict(out, faults_path):
    recs = [json.loads(l) for l in open(out)]
    faults = [json.loads(l) for l in open(faults_path)] \
        if os.path.exists(faults_path) else []

    def flooded(r):
        return any(f["router"] == r["router"] and f["fault"] == "flood" and
                   f["t0"] <= r["t"] + r.get("took", TIMEOUT) and
                   r["t"] <= f.get("t1", 1e18) for f in faults)
    oks = [r for r in recs if r.get("status") == "ok"]
    wrong = [r for r in oks if not r.get("right") and
             not (r.get("truncated") and flooded(r))]
    count = {}
    for r in recs:
        key = "%s_%s" % (r["kind"], r.get("status"))
        count[key] = count.get(key, 0) + 1
    print("answers %d" % len(recs))
    print("ok %d" % len(oks))
    print("wrong %d" % len(wrong))
    print("hang %d" % sum(r.get("status") == "hang" for r in recs))
    print("unparsable %d" % sum(r.get("status") == "unparsable"
                                for r in recs))
    for k in sorted(count):
        print("kind %s %d" % (k, count[k]))
    errors = {}
    for r in recs:
        if r.get("status") not in ("ok", "dropped"):
            key = "%s/%s" % (r.get("status"), r.get("error"))
            errors[key] = errors.get(key, 0) + 1
    for k in sorted(errors):
        print("error %s %d" % (k, errors[k]))
    for r in wrong[:3]:
        got, want = r.pop("got", ""), r.pop("want", "")
        print("wrong_example %s" % json.dumps(r))
        for line in difflib.unified_diff(want.split("\n"), got.split("\n"),
                                         "reference", "answer", n=1,
                                         lineterm=""):
            print("wrong_diff %s" % line)
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "verdict":
        return verdict(*args)
    base, plan = args[0], json.load(open(args[1]))
    if cmd == "reference":
        return reference(base, plan, args[1], args[2])
    ref = json.load(open(args[2]))
    return run(base, plan, ref, args[3], args[4])


if __name__ == "__main__":
    sys.exit(main())
