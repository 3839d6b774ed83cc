#!/usr/bin/env python3
"""loops.py: the residual operations inside loops of a JIT VM's code.

Reads TS_LOG=ir output (x86_print of every unit and bridge) on stdin,
builds the control-flow graph over all blocks of every compile tree
(jumps, branches, jumpunit, and exit stubs or flexswitches to the bridges
compiled from them), and counts the operations of the blocks that lie on
a cycle.  Prints one line:

    loops=L blocks=B calls=C icalls=I flex=F ops: OP=N ...

L: cycles (strongly connected components with an edge inside), B: blocks
on them, C: calls there, I: of which indirect (through a register), F:
flexswitches there, then every operation by name (sorted).
"""
import re
import sys

UNIT = re.compile(r'^(\S+)(?: from (\S+)\.s(\d+))? -> ')
BLOCK = re.compile(r'^b(\d+)(?:\(.*\))?:')


def parse(lines):
    """Blocks {(tree, unit, b): [op lines]} and edges {node: set(node)}."""
    blocks, edges, sites = {}, {}, {}
    tree, unit, cur = -1, None, None
    for line in lines:
        line = line.rstrip('\n')
        m = UNIT.match(line)
        if m:
            if m.group(1) == 'unit':
                tree += 1
            unit = m.group(1)
            if m.group(2):  # a bridge: the exit site it was compiled for
                src = sites.get((tree, m.group(2), int(m.group(3))))
                if src:
                    edges.setdefault(src, set()).add((tree, unit, 0))
            cur = None
            continue
        m = BLOCK.match(line)
        if m and unit is not None:
            cur = (tree, unit, int(m.group(1)))
            blocks[cur] = []
            continue
        if cur is None or not line.startswith('  '):
            continue
        op = line.strip()
        blocks[cur].append(op)
        out = edges.setdefault(cur, set())
        for t in re.findall(r'\bb(\d+)\b', op.split(' ', 1)[1] if ' ' in op else ''):
            if op.startswith(('jump ', 'branch ')):
                out.add((tree, unit, int(t)))
        m = re.match(r'jumpunit (\S+)\.b(\d+)', op)
        if m:
            out.add((tree, m.group(1), int(m.group(2))))
        m = re.match(r'(stub|flexswitch) s(\d+)', op)
        if m:
            sites[(tree, unit, int(m.group(2)))] = cur
    return blocks, edges


def sccs(nodes, edges):
    """Tarjan's algorithm, iterative: the list of components."""
    index, low, onstack, stack, comps = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        onstack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in blocks_known:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    onstack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    advanced = True
                    break
                if w in onstack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    onstack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(comp)
    return comps


blocks, edges = parse(sys.stdin)
blocks_known = set(blocks)
loops, onloop = 0, []
for comp in sccs(sorted(blocks), edges):
    if len(comp) > 1 or comp[0] in edges.get(comp[0], ()):
        loops += 1
        onloop += comp
counts, calls, icalls, flex = {}, 0, 0, 0
for b in onloop:
    for op in blocks[b]:
        m = re.match(r'(?:%\d+:\S+ = )?(\S+)', op)
        name = m.group(1)
        if name in ('jump', 'branch', 'jumpunit', 'stub'):
            continue
        if name == 'flexswitch':
            flex += 1
            continue
        counts[name] = counts.get(name, 0) + 1
        if name == 'call':
            calls += 1
            if re.match(r'(?:%\d+:\S+ = )?call (?:void )?%', op):
                icalls += 1
print('loops=%d blocks=%d calls=%d icalls=%d flex=%d ops:%s' % (
    loops, len(onloop), calls, icalls, flex,
    ''.join(' %s=%d' % (k, counts[k]) for k in sorted(counts))))
