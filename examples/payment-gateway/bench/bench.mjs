// npm run bench: what durability costs. Authorizations with fresh keys (each one writes and fsyncs
// two journal records and a ledger line), the same keys replayed (answered from the journal, no disk
// write), both from 1 and from 64 callers; and, for scale, one bare fdatasync on the same disk.
// Prints a table and writes bench.json.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Gateway, sandboxCards } from '../dist/index.js';

const callsPerRow = Number(process.env.BENCH_CALLS ?? 4000);
const directory = mkdtempSync(path.join(tmpdir(), 'payment-gateway-bench-'));

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Runs `call(i)` for i < count from `callers` concurrent callers: calls per second and latency percentiles in µs. */
async function measure(count, callers, call) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < count) {
        const index = next++;
        const began = process.hrtime.bigint();
        await call(index);
        latencies.push(Number(process.hrtime.bigint() - began) / 1000);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { 'calls/s': Math.round(count / seconds), 'p50 µs': Math.round(percentile(latencies, 50)), 'p99 µs': Math.round(percentile(latencies, 99)) };
}

function fdatasyncLatency(samples = 500) {
  const fd = openSync(path.join(directory, 'sync-probe'), 'a');
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    writeSync(fd, 'x'.repeat(120));
    const began = process.hrtime.bigint();
    fdatasyncSync(fd);
    latencies.push(Number(process.hrtime.bigint() - began) / 1000);
  }
  closeSync(fd);
  latencies.sort((a, b) => a - b);
  return { 'calls/s': '', 'p50 µs': Math.round(percentile(latencies, 50)), 'p99 µs': Math.round(percentile(latencies, 99)) };
}

const gateway = new Gateway({ journalPath: path.join(directory, 'journal'), sandboxLedgerPath: path.join(directory, 'ledger') });
const request = (row, index) => ({ amount: 100 + index, currency: 'EUR', card: sandboxCards.approved, idempotencyKey: `${row}-${index}` });
const rows = [];
try {
  // Warm-up: starts the port.
  await measure(200, 8, (index) => gateway.authorize(request('warm-up', index)));
  for (const callers of [1, 64]) {
    const row = `fresh-${callers}`;
    rows.push({ name: `authorize, new keys, ${callers} caller${callers > 1 ? 's' : ''}`, ...(await measure(callsPerRow, callers, (index) => gateway.authorize(request(row, index)))) });
    rows.push({ name: `authorize, replayed keys, ${callers} caller${callers > 1 ? 's' : ''}`, ...(await measure(callsPerRow, callers, (index) => gateway.authorize(request(row, index)))) });
  }
  rows.push({ name: 'one fdatasync on the same disk', ...fdatasyncLatency() });
} finally {
  await gateway.close();
  rmSync(directory, { recursive: true, force: true });
}

console.table(rows);
const report = { backend: 'port', node: process.version, cores: availableParallelism(), date: new Date().toISOString(), rows };
writeFileSync(new URL('../bench.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
