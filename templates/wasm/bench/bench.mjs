// npm run bench: hashSync next to hash-wasm, @noble/hashes and node:crypto (and the napi kind, when a
// package of that kind is installed beside this one as BENCH_NAPI=<path or name>). Prints a table,
// writes bench.json, and checks the targets as ratios from this one run.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { createSHA256 } from 'hash-wasm';
import { measureCallRate } from '@interop-module/runtime/testing';
import { close, hashSync } from '../dist/index.js';

const minSampleMs = Number(process.env.BENCH_MS ?? 500);
// Contenders take turns, and each keeps its best round: on a shared machine, load that comes and
// goes then touches every contender alike instead of whichever happened to run at that moment.
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/** Operations per second of fn (synchronous: nothing is awaited) over minSampleMs, after 20 calls of warm-up. */
const opsPerSecond = async (fn) => (await measureCallRate(fn, { sampleMs: minSampleMs, warmupCalls: 20 })).perSecond;

// hash-wasm's one-shot sha256() is async; its hasher object is the synchronous equivalent.
const hashWasmHasher = await createSHA256();
const contenders = {
  wasm: (data) => hashSync(data),
  'hash-wasm': (data) => hashWasmHasher.init().update(data).digest('binary'),
  '@noble/hashes': (data) => nobleSha256(data),
  'node:crypto': (data) => createHash('sha256').update(data).digest(),
};
if (process.env.BENCH_NAPI) {
  const napi = await import(process.env.BENCH_NAPI);
  contenders.napi = (data) => napi.hashSync(data);
}

const rows = [];
const ratios = {};
for (const [label, size] of [['256 B', 256], ['1 MiB', 1024 * 1024]]) {
  const data = new Uint8Array(randomBytes(size));
  const expected = createHash('sha256').update(data).digest('hex');
  const best = {};
  for (const [name, fn] of Object.entries(contenders)) {
    if (Buffer.from(fn(data)).toString('hex') !== expected) throw new Error(`${name} computed a wrong digest`);
    best[name] = 0;
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) best[name] = Math.max(best[name], await opsPerSecond(() => fn(data)));
  }
  const throughput = {};
  for (const [name, ops] of Object.entries(best)) {
    throughput[name] = (ops * size) / 1e6;
    rows.push({ input: label, implementation: name, 'ops/s': Math.round(ops), 'MB/s': Number(throughput[name].toFixed(1)) });
  }
  ratios[label] = {
    'wasm / hash-wasm': Number((throughput.wasm / throughput['hash-wasm']).toFixed(2)),
    'wasm / @noble/hashes': Number((throughput.wasm / throughput['@noble/hashes']).toFixed(2)),
  };
}
await close();

console.table(rows);
console.table(ratios);
const targets = [
  ['1 MiB ≥ 1.0× hash-wasm', ratios['1 MiB']['wasm / hash-wasm'] >= 1],
  ['1 MiB ≥ 2× @noble/hashes', ratios['1 MiB']['wasm / @noble/hashes'] >= 2],
];
for (const [target, met] of targets) console.log(`${met ? 'met' : 'MISSED'}: ${target}`);
writeFileSync(
  new URL('../bench.json', import.meta.url),
  `${JSON.stringify({ backend: 'wasm', node: process.version, date: new Date().toISOString(), rows, ratios }, null, 2)}\n`,
);
console.log('wrote bench.json');
