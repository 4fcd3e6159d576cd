// gc_churn.js - allocates many short-lived objects and checks that the program still
// computes the right answer; tests/gc/churn-rss.sh runs a 10 GB version of it and
// watches peak RSS. Owns only itself.
//
// Size: megabytes of garbage to allocate in total, from the global CHURN_MB, else from
// the first script argument (jsrun gc_churn.js 10240), else a small default so that
// make check stays quick.
//
// Bytes per unit of work, from lib/core/object.c and gc.c on a 64-bit build: a plain
// object is a 40-byte js_object with 6 inline slots plus a slot header, a 96-byte cell;
// a four-element array is a 48-byte js_array cell plus a 32-byte element vector from
// jsgc_malloc. That is 176 bytes (malloc's own header on the vector not counted). Small
// integers are NaN-boxed and allocate nothing; the string made every 64th unit is not
// counted either, so the real total is a little above the nominal one.
var BYTES_PER_UNIT = 176;

var mb = 20;
if (typeof CHURN_MB === "number")
    mb = CHURN_MB;
else if (typeof scriptArgs !== "undefined" && scriptArgs.length > 1)
    mb = Number(scriptArgs[1]);
if (!(mb > 0))
    throw new Error("gc_churn: bad size " + mb);

var units = Math.ceil(mb * 1048576 / BYTES_PER_UNIT);

// A small ring keeps the most recent objects alive for a while, so garbage dies at
// different ages and the collector sees pointers from older to younger cells.
var RING = 1024;
var ring = new Array(RING);
var sum = 0;
var expect = 0;

for (var i = 0; i < units; i++) {
    var o = { a: i, b: i & 7, c: null, d: [i & 1, i & 3, i & 15, 1] };
    var prev = ring[i % RING];
    if (prev !== undefined)
        sum += prev.d[3] + prev.b;
    o.c = prev;             // a chain that the next overwrite cuts
    if (prev !== undefined)
        prev.c = null;      // keep chains one link long: otherwise nothing would die
    ring[i % RING] = o;
    if ((i & 63) === 0) {
        var s = "k" + i;    // some short-lived strings too
        if (s.length < 2)
            throw new Error("gc_churn: bad string " + s);
    }
}
// Every unit from RING on found a predecessor with d[3] == 1 and b == (i - RING) & 7.
for (var j = RING; j < units; j++)
    expect += 1 + ((j - RING) & 7);
if (sum !== expect)
    throw new Error("gc_churn: checksum " + sum + ", expected " + expect);
for (var k = 0; k < RING && k < units; k++) {
    var idx = units - 1 - k;
    var e = ring[idx % RING];
    if (e.a !== idx || e.d[2] !== (idx & 15))
        throw new Error("gc_churn: ring entry " + idx + " corrupted");
}
if (typeof print === "function")
    print("gc_churn: " + units + " units, about " + Math.round(units * BYTES_PER_UNIT / 1048576) + " MB allocated, ok");
