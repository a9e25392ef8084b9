#!/usr/bin/env python3
"""Lists the import loops inside a crate: strongly connected components of the
graph whose nodes are the crate's source files and whose edges are `crate::`
(and `super::`) paths from one file to an item of another.

Usage: scripts/import_loops.py crates/ponte-server [more crates...]
Prints each component of more than one file, largest first, and a summary.
"""
import os
import re
import sys


def module_files(src):
    """Maps a module path ('services::links') to its file."""
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                rel = []
            mods["::".join(rel)] = path
    return mods


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand_use(tree):
    """'a::{b, c::{d, e}}' -> ['a::b', 'a::c::d', 'a::c::e']"""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree]
    prefix, rest = tree[:brace], tree[brace + 1 : -1]
    parts, depth, cur = [], 0, ""
    for ch in rest:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p:
            out += [prefix + q for q in expand_use(p)]
    return out


def own_module(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] == "mod" or rel in (["lib"], ["main"]):
        return rel[:-1]
    return rel


def absolute(segs, me, mods):
    """A path as written in module `me`, made absolute (None: another crate)."""
    if segs[0] == "crate":
        return segs[1:]
    base = list(me)
    if segs[0] == "self":
        return base + segs[1:]
    if segs[0] == "super":
        while segs and segs[0] == "super":
            base = base[:-1]
            segs = segs[1:]
        return base + segs
    if "::".join(base + segs[:1]) in mods:
        return base + segs
    return None


def use_paths(text):
    paths = []
    for m in re.finditer(r"\buse\s+([^;]*);", text):
        paths += expand_use(m.group(1))
    return [[re.sub(r"as\w+$", "", s) for s in p.split("::")] for p in paths]


def edges(src, mods):
    files = set(mods.values())
    texts = {f: strip_comments(open(f, encoding="utf-8").read()) for f in files}
    # Re-exports: (module, item) -> absolute path of what it names.
    reexports = {}
    for f, text in texts.items():
        me = own_module(src, f)
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]*);", text):
            for p in expand_use(m.group(1)):
                segs = [re.sub(r"as\w+$", "", s) for s in p.split("::")]
                item = p.split("::")[-1]
                item = item.split("as")[-1] if "as" in item else item
                target = absolute(segs, me, mods)
                # An item of another crate re-exported here is no edge to this file.
                reexports[("::".join(me), item)] = target

    def resolve(segs, depth=0):
        for n in range(len(segs), -1, -1):
            key = "::".join(segs[:n])
            if key in mods:
                if n < len(segs) and (key, segs[n]) in reexports and depth < 8:
                    target = reexports[(key, segs[n])]
                    if target is None:
                        return None
                    return resolve(target + segs[n + 1 :], depth + 1)
                return mods[key]
        return None

    out = {f: set() for f in files}
    for f, text in texts.items():
        # An inline `mod tests { use super::*; }` is one module deeper.
        inline = re.search(r"\bmod\s+(\w+)\s*\{", text)
        parts = [(own_module(src, f), text)]
        if inline:
            parts = [
                (own_module(src, f), text[: inline.start()]),
                (own_module(src, f) + [inline.group(1)], text[inline.start() :]),
            ]
        for me, part in parts:
            edges_of(me, part, f, out, mods, resolve)
    return out


def edges_of(me, text, f, out, mods, resolve):
        paths = [p for p in use_paths(text) if not (len(p) == 1)]
        body = re.sub(r"\buse\s+[^;]*;", "", text)
        paths += [p.split("::") for p in re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", body)]
        for p in paths:
            segs = absolute(p, me, mods)
            if segs is None:
                continue
            target = resolve(segs)
            if target and target != f:
                out[f].add(target)


def sccs(graph):
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return comps


def main():
    for crate in sys.argv[1:] or ["crates/ponte-server"]:
        src = os.path.join(crate, "src")
        mods = module_files(src)
        loops = sorted((c for c in sccs(edges(src, mods)) if len(c) > 1), key=len, reverse=True)
        print(f"{crate}: {len(mods)} files, loops: {[len(c) for c in loops] or 'none'}")
        for c in loops:
            print(f"  {len(c)} files:")
            for f in sorted(c):
                print(f"    {os.path.relpath(f, src)}")


if __name__ == "__main__":
    main()
