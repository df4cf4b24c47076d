#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Aggregate the BENCH lines of scripts/bench-guest.sh into results.

    bench-report.py LOG OUTPREFIX

writes OUTPREFIX.json (every measurement and every summary), OUTPREFIX.txt
(a table: median [min..max] of each figure per server, and pxefast against
the best peer) and OUTPREFIX-concurrency.dat (throughput vs concurrency, for
gnuplot).
"""
import json
import statistics
import sys

# scenario -> (metric, label, unit, higher is better, target advantage)
FIGURES = [
    ("single-ls1432", "mbps", "BIG, lock-step blksize 1432", "MB/s", True, 2),
    ("single-w4", "mbps", "BIG, blksize 1468 windowsize 4", "MB/s", True, 4),
    ("single-w64", "mbps", "BIG, blksize 1468 windowsize 64", "MB/s", True, 10),
    ("storm16", "mbps", "boot storm 16 clients, aggregate", "MB/s", True, 4),
    ("storm16", "p50_s", "boot storm 16 clients, p50 completion", "s", False, None),
    ("storm16", "p99_s", "boot storm 16 clients, p99 completion", "s", False, None),
    ("storm16", "failed", "boot storm 16 clients, failed transfers", "", False, None),
    ("storm64", "mbps", "boot storm 64 clients, aggregate", "MB/s", True, 4),
    ("storm64", "p50_s", "boot storm 64 clients, p50 completion", "s", False, None),
    ("storm64", "p99_s", "boot storm 64 clients, p99 completion", "s", False, None),
    ("storm64", "failed", "boot storm 64 clients, failed transfers", "", False, None),
    ("storm256", "mbps", "boot storm 256 clients, aggregate", "MB/s", True, 4),
    ("storm256", "p50_s", "boot storm 256 clients, p50 completion", "s", False, None),
    ("storm256", "p99_s", "boot storm 256 clients, p99 completion", "s", False, None),
    ("storm256", "failed", "boot storm 256 clients, failed transfers", "", False, None),
    ("notfound", "rps", "not-found storm, ERRORs", "/s", True, None),
    ("dhcp", "aps", "proxyDHCP DISCOVER -> OFFER", "/s", True, 5),
    ("dhcp", "p99_ms", "proxyDHCP p99 latency", "ms", False, None),
    ("single-ls1432", "cpu_s_per_gb", "server CPU per GB, lock-step", "s/GB", False, None),
    ("single-w4", "cpu_s_per_gb", "server CPU per GB, windowsize 4", "s/GB", False, None),
    ("single-w64", "cpu_s_per_gb", "server CPU per GB, windowsize 64", "s/GB", False, None),
    ("storm16", "cpu_s_per_gb", "server CPU per GB, storm 16", "s/GB", False, None),
    ("storm64", "cpu_s_per_gb", "server CPU per GB, storm 64", "s/GB", False, None),
    ("single-w64", "srv_busy_pct", "server CPU busy, windowsize 64", "%", False, None),
    ("single-w64", "cli_busy_pct", "client CPU busy, windowsize 64", "%", False, None),
    ("storm64", "srv_busy_pct", "server CPU busy, storm 64", "%", False, None),
    ("storm64", "cli_busy_pct", "client CPU busy, storm 64", "%", False, None),
    ("idle1000", "slab_b_per_session", "slab per idle session, 1,000", "B", False, None),
    ("idle1000", "mem_b_per_session", "memory per idle session, 1,000", "B", False, None),
    ("idle10000", "slab_b_per_session", "slab per idle session, 10,000", "B", False, None),
    ("idle10000", "mem_b_per_session", "memory per idle session, 10,000", "B", False, None),
]
DATA_FRAME = 1468  # payload bytes of the DATA packets of single-w64
SERVERS = ["pxefast", "tftpd-hpa", "dnsmasq", "atftpd"]
# the dhcp scenario's receive paths: server name in the BENCH lines, label
DHCP_PATHS = [("pxefast-xdp-native", "XDP native"), ("pxefast-xdp-generic", "XDP generic"),
              ("pxefast", "netfilter"), ("dnsmasq", "dnsmasq")]
# answers/s ratios reported (numerator, denominator, target or None): issue 11
DHCP_RATIOS = [("pxefast-xdp-native", "pxefast", 2), ("pxefast-xdp-native", "dnsmasq", 10),
               ("pxefast-xdp-generic", "pxefast", None), ("pxefast-xdp-generic", "dnsmasq", None),
               ("pxefast", "dnsmasq", None)]


def num(v):
    try:
        return float(v)
    except ValueError:
        return v


def parse(path):
    info, rows = {}, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("BENCHINFO "):
                info = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("BENCH "):
                r = {k: num(v) for k, v in
                     (kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)}
                r["run"] = int(r.get("run", 0))
                if "srv_cpu_s" in r and r.get("wall_s"):
                    # who is the bottleneck: the server's CPU or the client's
                    r["srv_busy_pct"] = round(100 * r["srv_cpu_s"] / r["wall_s"], 1)
                    r["cli_busy_pct"] = round(100 * (r["guest_cpu_s"] - r["srv_cpu_s"])
                                              / r["wall_s"], 1)
                if "srv_cpu_s" in r and r.get("offers"):
                    # the server's CPU time per proxy answer, microseconds
                    r["srv_us_per_answer"] = round(1e6 * r["srv_cpu_s"] / r["offers"], 1)
                if "srv_cpu_s" in r and r.get("bytes"):
                    # the server had a CPU of its own: its busy time
                    srv_cpu = r["srv_cpu_s"]
                    r["server_cpu_s"] = round(srv_cpu, 3)
                    r["cpu_s_per_gb"] = round(srv_cpu / (r["bytes"] / 1e9), 3)
                elif "guest_cpu_s" in r and "client_cpu_s" in r and r.get("bytes"):
                    # one CPU: guest busy time minus the client's own
                    srv_cpu = max(r["guest_cpu_s"] - r["client_cpu_s"], 0.0)
                    r["server_cpu_s"] = round(srv_cpu, 3)
                    r["cpu_s_per_gb"] = round(srv_cpu / (r["bytes"] / 1e9), 3)
                rows.append(r)
    return info, rows


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("s",):
        return "%.3f" % v
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.2f" % v


def med(rows, sc, srv, metric):
    """median, min, max and count of one metric over the good runs"""
    vals = [r[metric] for r in rows if r.get("scenario") == sc and r.get("server") == srv
            and not r.get("error") and isinstance(r.get(metric), float)]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals),
            "n": len(vals)}


def dhcp_paths(rows):
    """The dhcp scenario by receive path: answers/s, p99, CPU, and ratios."""
    paths = {}
    for srv, label in DHCP_PATHS:
        ent = {m: med(rows, "dhcp", srv, m) for m in
               ("aps", "p99_ms", "p50_ms", "srv_busy_pct", "cli_busy_pct", "srv_us_per_answer")}
        if ent["aps"] or any(r.get("scenario") == "dhcp" and r.get("server") == srv for r in rows):
            ent["label"] = label
            paths[srv] = ent
    ratios = []
    for a, b, target in DHCP_RATIOS:
        x, y = paths.get(a, {}).get("aps"), paths.get(b, {}).get("aps")
        if not x or not y or not y["median"]:
            continue
        ent = {"num": a, "den": b, "target": target, "answers_ratio": x["median"] / y["median"]}
        cx, cy = paths[a].get("srv_us_per_answer"), paths[b].get("srv_us_per_answer")
        if cx and cy and cx["median"]:
            # server CPU per answer, denominator over numerator: how many
            # times less CPU the numerator's path spends on one answer
            ent["cpu_ratio"] = cy["median"] / cx["median"]
        ratios.append(ent)
    return {"paths": paths, "ratios": ratios} if paths else None


def dhcp_lines(d):
    """the dhcp_paths() table as text"""
    def cell(e, unit):
        if not e:
            return "-"
        c = fmt(e["median"], unit)
        if e["n"] > 1:
            c += " [%s..%s]" % (fmt(e["min"], unit), fmt(e["max"], unit))
        return c
    out = ["", "proxyDHCP by receive path (same guest, interleaved rounds; CPU: busy share of "
           "the server's and the client's vCPU; us/answer: server CPU time per answer):",
           "  %-12s %-26s %-22s %-14s %-14s %s" % ("path", "answers/s", "p99 ms", "server CPU %",
                                                 "client CPU %", "server us/answer")]
    for srv, _ in DHCP_PATHS:
        e = d["paths"].get(srv)
        if e:
            out.append("  %-12s %-26s %-22s %-14s %-14s %s" % (
                e["label"], cell(e["aps"], "/s"), cell(e["p99_ms"], "ms"),
                cell(e["srv_busy_pct"], "%"), cell(e["cli_busy_pct"], "%"),
                cell(e["srv_us_per_answer"], "us")))
    lab = dict(DHCP_PATHS)
    for r in d["ratios"]:
        v = ""
        if r["target"]:
            v = "  target >= %gx: %s" % (r["target"],
                                        "met" if r["answers_ratio"] >= r["target"] else "MISSED")
        c = ""
        if "cpu_ratio" in r:
            c = "; server CPU per answer %.2fx less" % r["cpu_ratio"]
        out.append("  %s / %s: answers/s %.2fx%s%s" % (lab[r["num"]], lab[r["den"]],
                                                       r["answers_ratio"], c, v))
    return out


def main():
    log, prefix = sys.argv[1], sys.argv[2]
    info, rows = parse(log)
    summary = []
    big = "%s MiB" % info.get("big_mb", "?")
    for sc, metric, label, unit, higher, target in FIGURES:
        label = label.replace("BIG", big)
        per = {}
        for srv in SERVERS:
            vals = [r[metric] for r in rows
                    if r.get("scenario") == sc and r.get("server") == srv
                    and not r.get("error") and isinstance(r.get(metric), float)]
            if metric != "failed":
                # a transfer scenario with failures does not count as a figure
                vals = [r[metric] for r in rows
                        if r.get("scenario") == sc and r.get("server") == srv
                        and not r.get("error") and isinstance(r.get(metric), float)
                        and not r.get("failed")]
            errs = sum(1 for r in rows if r.get("scenario") == sc and
                       r.get("server") == srv and (r.get("error") or r.get("failed")))
            if vals or errs:
                per[srv] = {
                    "median": statistics.median(vals) if vals else None,
                    "min": min(vals) if vals else None,
                    "max": max(vals) if vals else None,
                    "n": len(vals), "bad_runs": errs,
                    "values": vals,
                }
        if not per:
            continue
        ent = {"scenario": sc, "metric": metric, "label": label, "unit": unit,
               "higher_is_better": higher, "target": target, "servers": per}
        pxf = per.get("pxefast", {}).get("median")
        peers = {s: d["median"] for s, d in per.items()
                 if s != "pxefast" and d["median"] is not None}
        if metric != "failed" and not metric.endswith("_pct") and pxf is not None and peers:
            best = (max if higher else min)(peers, key=peers.get)
            ent["best_peer"] = best
            b = peers[best]
            if higher:
                ent["ratio"] = pxf / b if b else None
            else:
                ent["ratio"] = b / pxf if pxf else None
            # pxefast / best peer, as measured (for lower-is-better figures
            # this is < 1 when pxefast is better)
            ent["pxefast_over_best"] = pxf / b if b else None
        summary.append(ent)

    # throughput vs concurrency, windowsize 4 (the boot-storm options)
    conc = []
    for sc, n in (("single-w4", 1), ("storm16", 16), ("storm64", 64),
                  ("storm256", 256)):
        e = next((e for e in summary if e["scenario"] == sc and e["metric"] == "mbps"), None)
        if e:
            conc.append((n, [e["servers"].get(s, {}).get("median") for s in SERVERS]))
    with open(prefix + "-concurrency.dat", "w") as f:
        f.write("clients " + " ".join(SERVERS) + "\n")
        for n, vals in conc:
            f.write("%d %s\n" % (n, " ".join("NaN" if v is None else "%.3f" % v
                                             for v in vals)))

    # ceiling: pktgen's frame rate vs the windowsize-64 stream's
    ceiling = None
    pps = [r["pps"] for r in rows if r.get("scenario") == "ceiling"
           and not r.get("error") and isinstance(r.get("pps"), float)]
    if pps:
        ceiling = {"pktgen_pps": {"median": statistics.median(pps), "min": min(pps),
                                  "max": max(pps), "n": len(pps)}, "streams": {}}
        for srv in SERVERS:
            v = [r["bytes"] / DATA_FRAME / r["wall_s"] for r in rows
                 if r.get("scenario") == "single-w64" and r.get("server") == srv
                 and not r.get("error") and not r.get("failed") and r.get("wall_s")]
            if v:
                m = statistics.median(v)
                ceiling["streams"][srv] = {"pps": m,
                                           "fraction": m / ceiling["pktgen_pps"]["median"]}

    dhcp = dhcp_paths(rows)
    with open(prefix + ".json", "w") as f:
        json.dump({"info": info, "summary": summary, "ceiling": ceiling,
                   "dhcp_paths": dhcp, "measurements": rows}, f, indent=1)

    out = []
    out.append("pxefast benchmark, kernel %s, %s vCPU(s)%s, %s runs per figure "
               "(median [min..max])" % (info.get("kernel", "?"), info.get("cpus", "?"),
                                        " (server and client on one each)"
                                        if info.get("split") == "1" else "",
                                        info.get("runs", "?")))
    out.append("single-transfer file %s MiB, boot-storm file %s MiB, boot-storm client "
               "options: %s" % (info.get("big_mb", "?"), info.get("storm_mb", "?"),
                                info.get("storm_opts", "?").replace("_", " ")))
    out.append("x = how many times better pxefast is than the best peer "
               "(throughput: pxefast/peer; time, CPU, memory: peer/pxefast)")
    out.append("")
    w = 24
    out.append("%-44s %-7s" % ("figure", "unit") +
               "".join("%-*s" % (w, s) for s in SERVERS) + "best peer   x      target")
    for e in summary:
        cells = []
        for s in SERVERS:
            d = e["servers"].get(s)
            if not d:
                cells.append("%-*s" % (w, "-"))
                continue
            if d["median"] is None:
                cells.append("%-*s" % (w, "FAILED(%d)" % d["bad_runs"]))
                continue
            c = fmt(d["median"], e["unit"])
            if d["n"] > 1:
                c += " [%s..%s]" % (fmt(d["min"], e["unit"]), fmt(d["max"], e["unit"]))
            if d["bad_runs"]:
                c += " !%d" % d["bad_runs"]
            cells.append("%-*s" % (w, c))
        ratio = e.get("ratio")
        tgt = e.get("target")
        verdict = ""
        if tgt and ratio is not None:
            verdict = ">=%gx %s" % (tgt, "met" if ratio >= tgt else "MISSED")
        out.append("%-44s %-7s" % (e["label"], e["unit"]) + "".join(cells) +
                   "%-11s %-6s %s" % (e.get("best_peer", "-"),
                                      "%.2f" % ratio if ratio is not None else "-",
                                      verdict))
    if ceiling:
        c = ceiling["pktgen_pps"]
        out.append("")
        out.append("ceiling: pktgen moves %.0f [%.0f..%.0f] frames/s of 1514 bytes through the veth;"
                   % (c["median"], c["min"], c["max"]))
        out.append("the windowsize-64 stream reaches (DATA packets/s, share of the ceiling; "
                   "target >= 50%):")
        for srv, d in ceiling["streams"].items():
            out.append("  %-10s %8.0f/s  %5.1f%%" % (srv, d["pps"], 100 * d["fraction"]))
    if dhcp:
        out.extend(dhcp_lines(dhcp))
    negs = {}
    for r in rows:
        if r.get("oack") and r.get("scenario", "").startswith(("single", "storm")):
            negs.setdefault((r["scenario"], r["server"]), r["oack"])
    out.append("")
    out.append("negotiated options (OACK as received; none = no OACK, 512-byte lock-step):")
    for (sc, srv), o in sorted(negs.items()):
        out.append("  %-14s %-10s %s" % (sc, srv, o))
    with open(prefix + ".txt", "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
