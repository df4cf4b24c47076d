#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check Prometheus text exposition format (version 0.0.4) on stdin.

    prom_check.py [--label NAME=VALUE]... [--metric NAME]...

Every sample must belong to a family announced by exactly one HELP and one
TYPE line before its samples; a family's samples are contiguous; counters
end in _total; names, label names and escaped label values are valid; values
are numbers; no series is repeated.  --label: every sample carries that
label with that value.  --metric: that family must be present.  Exits 0 when
all holds, else prints each fault and exits 1.
"""
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LNAME = r'[a-zA-Z_][a-zA-Z0-9_]*'
LVALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r'^(%s)(?:\{((?:%s=%s)(?:,%s=%s)*)?,?\})? (\S+)(?: (-?\d+))?$'
                    % (NAME, LNAME, LVALUE, LNAME, LVALUE))
LABEL = re.compile(r'(%s)=(%s)' % (LNAME, LVALUE))
HELP = re.compile(r'^# HELP (%s) (.*)$' % NAME)
TYPE = re.compile(r'^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$' % NAME)


def unescape(v):
    return re.sub(r'\\(.)', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v[1:-1])


def check(text, want_labels, want_metrics):
    faults = []
    helps, types, done, series = {}, {}, set(), set()
    current = None
    nsamples = 0
    if text and not text.endswith('\n'):
        faults.append('output does not end with a newline')
    for n, line in enumerate(text.splitlines(), 1):
        def bad(msg):
            faults.append('line %d: %s: %r' % (n, msg, line))
        if not line:
            bad('empty line')
            continue
        if line.startswith('#'):
            m = HELP.match(line)
            t = TYPE.match(line)
            if m:
                name = m.group(1)
                if name in helps:
                    bad('second HELP for ' + name)
                if not m.group(2).strip():
                    bad('empty HELP text')
                helps[name] = m.group(2)
            elif t:
                name = t.group(1)
                if name in types:
                    bad('second TYPE for ' + name)
                types[name] = t.group(2)
                if t.group(2) == 'counter' and not name.endswith('_total'):
                    bad('counter not named *_total')
                if t.group(2) == 'gauge' and name.endswith('_total'):
                    bad('gauge named *_total')
            elif line.startswith('# HELP') or line.startswith('# TYPE'):
                bad('malformed HELP/TYPE line')
            continue
        m = SAMPLE.match(line)
        if not m:
            bad('malformed sample')
            continue
        nsamples += 1
        name, labels, value = m.group(1), m.group(2) or '', m.group(3)
        if name not in helps or name not in types:
            bad('sample without HELP and TYPE before it')
        if name != current:
            if name in done:
                bad('samples of %s not contiguous' % name)
            if current:
                done.add(current)
            current = name
        try:
            float(value)
        except ValueError:
            bad('value is not a number')
        lab = {}
        for k, v in LABEL.findall(labels):
            if k in lab:
                bad('label %s twice' % k)
            lab[k] = unescape(v)
        key = (name, tuple(sorted(lab.items())))
        if key in series:
            bad('series repeated')
        series.add(key)
        for k, v in want_labels.items():
            if lab.get(k) != v:
                bad('label %s is not %r' % (k, v))
    for name in helps:
        if name not in types:
            faults.append('HELP without TYPE: ' + name)
    for name in want_metrics:
        if not any(s[0] == name for s in series):
            faults.append('no sample of ' + name)
    if not nsamples:
        faults.append('no samples')
    return faults


def main():
    labels, metrics = {}, []
    args = sys.argv[1:]
    while args:
        opt = args.pop(0)
        if opt == '--label' and args and '=' in args[0]:
            k, v = args.pop(0).split('=', 1)
            labels[k] = v
        elif opt == '--metric' and args:
            metrics.append(args.pop(0))
        else:
            sys.exit(__doc__)
    faults = check(sys.stdin.read(), labels, metrics)
    for f in faults:
        print('prom_check: ' + f, file=sys.stderr)
    sys.exit(1 if faults else 0)


if __name__ == '__main__':
    main()
