// Part of `npm run bench`: hashStream over 64 MiB in 64 KiB chunks (a file stream's chunk size) on this
// package's backend, beside node:crypto's createHash updated with the same chunks on the event loop —
// what a resource costs per call here. The two take turns, round after round, so drift on the machine
// lands on each alike; each time is the median of the rounds. `--target <ratio>` prints whether the
// backend reaches that share of createHash's throughput (the napi kind asks for 0.9).
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { close, hashStream } from '../dist/index.js';

const { values } = parseArgs({ options: { target: { type: 'string' } } });
const target = values.target === undefined ? undefined : Number(values.target);
if (target !== undefined && !(target > 0)) {
  console.error(`bench/hasher.mjs: --target must be a ratio above 0, got ${values.target}`);
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const chunkBytes = 64 * 1024;
const input = randomBytes(64 * 1024 * 1024);

/** The input as a file stream yields it: views of one buffer, so the source costs neither side a copy. */
async function* chunks() {
  for (let offset = 0; offset < input.length; offset += chunkBytes) yield input.subarray(offset, offset + chunkBytes);
}
async function createHashOverChunks() {
  const hash = createHash('sha256');
  for await (const chunk of chunks()) hash.update(chunk);
  return hash.digest();
}
async function milliseconds(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

// Checked before timing (a fast wrong answer is no answer), which also warms both sides up.
const expected = await createHashOverChunks();
if (!Buffer.from(await hashStream(chunks())).equals(expected)) throw new Error('hashStream disagrees with node:crypto over the bench input');

const times = { hashStream: [], createHash: [] };
for (let round = 0; round < rounds; round++) {
  times.hashStream.push(await milliseconds(() => hashStream(chunks())));
  times.createHash.push(await milliseconds(createHashOverChunks));
}
const [ours, reference] = [median(times.hashStream), median(times.createHash)];
const ratio = Number((reference / ours).toFixed(2));
const megabytesPerSecond = (ms) => Math.round(input.length / 1e6 / (ms / 1000));
console.log(`Resources: 64 MiB in ${chunkBytes / 1024} KiB chunks, median of ${rounds} rounds:`);
console.table([
  { name: 'hashStream', ms: Number(ours.toPrecision(3)), 'MB/s': megabytesPerSecond(ours) },
  { name: "node:crypto's createHash", ms: Number(reference.toPrecision(3)), 'MB/s': megabytesPerSecond(reference) },
]);
console.log(
  `hashStream reaches ${ratio}× createHash's throughput` + (target === undefined ? '' : ` (target ≥ ${target}×: ${ratio >= target ? 'yes' : 'NO'})`),
);
await close();
