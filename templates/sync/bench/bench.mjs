// npm run bench: this package against node:crypto on the same inputs, in one run.
// Prints a table and writes bench.json. Throughput targets belong here, not in the tests.
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { measureCallRate } from '@interop-module/runtime/testing';
import { backend, close, deriveKey, hashSync } from '../dist/index.js';

const pbkdf2Async = promisify(pbkdf2);
const minSampleMs = Number(process.env.BENCH_MS ?? 1500);

/** Operations per second of fn over minSampleMs, after 20 calls of warm-up. */
const opsPerSecond = async (fn) => (await measureCallRate(fn, { sampleMs: minSampleMs, warmupCalls: 20 })).perSecond;

const rows = [];
async function compare(name, bytesPerOp, ours, reference) {
  const oursOps = await opsPerSecond(ours);
  const referenceOps = await opsPerSecond(reference);
  rows.push({
    name,
    [`${backend} ops/s`]: Math.round(oursOps),
    'node:crypto ops/s': Math.round(referenceOps),
    ...(bytesPerOp ? { [`${backend} MB/s`]: Math.round((oursOps * bytesPerOp) / 1e6) } : {}),
    ratio: Number((oursOps / referenceOps).toFixed(2)),
  });
}

const small = randomBytes(256);
const large = randomBytes(1024 * 1024);
const salt = randomBytes(16);
const sha256 = (data) => createHash('sha256').update(data).digest();

await compare('hashSync 256 B', 256, () => hashSync(small), () => sha256(small));
await compare('hashSync 1 MiB', large.length, () => hashSync(large), () => sha256(large));
await compare(
  'deriveKey 100k iterations',
  0,
  () => deriveKey('password', salt, 100_000),
  () => pbkdf2Async('password', salt, 100_000, 32, 'sha256'),
);
await close();

console.table(rows);
writeFileSync(
  new URL('../bench.json', import.meta.url),
  `${JSON.stringify({ backend, node: process.version, date: new Date().toISOString(), rows }, null, 2)}\n`,
);
console.log('wrote bench.json');
