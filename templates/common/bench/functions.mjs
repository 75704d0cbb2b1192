// Part of `npm run bench`: each function added with `create-interop-module add` (bench/functions/<name>.mjs,
// written by `add`), timed on this package's backend beside its TypeScript reference — the per-function
// "should this be native?" answer — and where the kind has one (napi) beside the raw binding, which
// shows what the generated wrapper costs. The three take turns, round after round, so drift on the
// machine lands on each alike; each number is the median of the rounds. Prints a table.
import { existsSync, readdirSync } from 'node:fs';
import { measureCallRate } from '@interop-module/runtime/testing';
import { close } from '../dist/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
/** What the generated wrapper (argument checks, options) may cost per call beside the raw binding. */
const wrapperTarget = 1.25;
const sampleMs = Number(process.env.BENCH_MS ?? 200);
const functionsDir = new URL('./functions/', import.meta.url);
const files = existsSync(functionsDir) ? readdirSync(functionsDir).filter((file) => file.endsWith('.mjs')).sort() : [];

/** Mean microseconds per call of fn (sync, or async and awaited one after another) over sampleMs. */
const microsecondsPerCall = async (fn) => (await measureCallRate(fn, { sampleMs })).microsecondsPerCall;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (microseconds) => Number(microseconds.toPrecision(3));

if (files.length === 0) {
  console.log('No functions added yet: `npx create-interop-module add <name> --arg <name>:<type> --returns <type>` adds one.');
} else {
  const rows = [];
  for (const file of files) {
    const { default: bench } = await import(new URL(file, functionsDir).href);
    for (const { label, ...sides } of bench.cases) {
      const names = Object.keys(sides).filter((side) => sides[side] !== undefined);
      // Warm-up: module load, JIT, first thread or worker start are not charged to any side.
      for (const side of names) for (let i = 0; i < 50; i++) await sides[side]();
      const samples = Object.fromEntries(names.map((side) => [side, []]));
      for (let round = 0; round < rounds; round++) {
        for (const side of names) samples[side].push(await microsecondsPerCall(sides[side]));
      }
      const [backend, reference, binding] = ['backend', 'reference', 'binding'].map((side) => (samples[side] ? median(samples[side]) : undefined));
      rows.push({
        function: bench.name,
        input: label,
        'backend µs/call': format(backend),
        'reference µs/call': format(reference),
        'backend ÷ reference': Number((backend / reference).toFixed(2)),
        ...(binding === undefined ? {} : { 'binding µs/call': format(binding), 'wrapper ÷ binding': Number((backend / binding).toFixed(2)) }),
      });
    }
  }
  console.log(`Added functions, median of ${rounds} rounds of ${sampleMs} ms each (backend ÷ reference below 1: the backend is faster):`);
  console.table(rows);
  for (const row of rows.filter((row) => row.input === '0 B' && row['wrapper ÷ binding'] !== undefined)) {
    const ratio = row['wrapper ÷ binding'];
    console.log(`${row.function}: the wrapper costs ${ratio}× the raw binding at 0 B (target ≤ ${wrapperTarget}×: ${ratio <= wrapperTarget ? 'yes' : 'NO'})`);
  }
}
await close();
