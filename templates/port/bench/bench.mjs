// npm run bench: the supervised port against other ways to reach another process, in one run:
// Node's IPC channel (serialization 'json' and 'advanced') to a node echo child, a process spawned per
// call, and a raw floor (the same Rust echo over bare frames, read by the smallest possible reader).
// 64-byte messages: round-trip p50/p99 one at a time, then pipelined throughput. Prints a table and
// the target ratios, and writes bench.json. Targets live here, not in the tests.
//
// Every transport is measured over several fresh children, round-robin, so drift hits all alike. A
// round trip costs 3–5× more when the scheduler puts the child on another core than the event loop
// (waking an idle core), and it decides that once per child; so the latency rows run with this
// process and its children pinned to one core (Linux, `taskset`), where only the transports differ.
// The p50 of unpinned children is shown too.
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findExecutable, openPort } from '../dist/testing.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const roundTrips = Number(process.env.BENCH_ROUND_TRIPS ?? 1000);
const pipelined = Number(process.env.BENCH_PIPELINED ?? 50_000);
const window = 256;
/** Calls before any measurement: enough for V8 to optimise the supervisor's call path, not just the floor's. */
const warmUpCalls = 5000;
const spawnSampleMs = Number(process.env.BENCH_MS ?? 1500);
const body = randomBytes(64);
const executable = findExecutable('release');

function frame(payload) {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}
/** An echo call in the port's encoding: kind 0, id, method "echo", body. */
const echoRequest = frame(Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 4]), Buffer.from('echo'), body]));

/** Replies to FIFO requests: every transport below answers in order, so no ids are needed. */
function fifo() {
  const waiting = [];
  return {
    expect: () => new Promise((resolve) => waiting.push(resolve)),
    settle: (value) => waiting.shift()(value),
  };
}

function rawClient({ batched }) {
  const child = spawn(executable, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = fifo();
  let buffered = Buffer.alloc(0);
  child.stdout.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
      const end = 4 + buffered.readUInt32BE(0);
      replies.settle(buffered.subarray(9, end));
      buffered = buffered.subarray(end);
    }
  });
  let queued = [];
  const send = batched
    ? () => {
        if (queued.length === 0) {
          process.nextTick(() => {
            child.stdin.write(queued.length === 1 ? queued[0] : Buffer.concat(queued));
            queued = [];
          });
        }
        queued.push(echoRequest);
      }
    : () => child.stdin.write(echoRequest);
  return {
    call: () => {
      send();
      return replies.expect();
    },
    close: () => child.stdin.end(),
  };
}

const transports = {
  'port (supervisor)': async () => {
    const port = openPort('release', { maxInFlight: window });
    return { call: () => port.call('echo', body), close: () => port.close() };
  },
  // The floor: the same Rust echo over bare frames, read by the smallest possible reader (no ids,
  // limits, timeouts or supervision; replies counted off in order), one write per request.
  'raw floor': () => rawClient({ batched: false }),
  // The same, but the requests of one tick leave in one write, as the supervisor sends them: what
  // batching alone is worth, and so how much of the gap to the floor is the supervisor's own cost.
  'raw floor, batched': () => rawClient({ batched: true }),
  ...Object.fromEntries(
    ['json', 'advanced'].map((serialization) => [
      `IPC ${serialization}`,
      async () => {
        const child = fork(fileURLToPath(new URL('./ipc-echo.mjs', import.meta.url)), { serialization });
        const replies = fifo();
        child.on('message', (message) => replies.settle(message));
        // JSON cannot carry bytes, so that channel carries them as base64 text.
        const message = serialization === 'json' ? { body: body.toString('base64') } : { body };
        return { call: () => (child.send(message), replies.expect()), close: () => child.disconnect() };
      },
    ]),
  ),
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

/** Round-trip times in µs of `roundTrips` sequential calls, after a warm-up. */
async function roundTripSamples(call) {
  for (let i = 0; i < warmUpCalls; i++) await call();
  const samples = [];
  for (let i = 0; i < roundTrips; i++) {
    const started = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return samples;
}

/** Keeps `window` calls outstanding until `count` have completed; messages per second. */
async function pipelinedRate(call, count) {
  let started = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (started < count) {
        started++;
        await call();
      }
    }),
  );
  return (count * 1000) / (performance.now() - began);
}

/** One process per call: spawn, one request, read the reply, close. Sequential calls per second. */
async function spawnPerCall() {
  const once = () =>
    new Promise((resolve, reject) => {
      const child = spawn(executable, [], { stdio: ['pipe', 'pipe', 'inherit'] });
      child.stdout.once('data', () => child.stdin.end());
      child.on('error', reject);
      child.on('close', resolve);
      child.stdin.write(echoRequest);
    });
  const latencies = [];
  const began = performance.now();
  while (performance.now() - began < spawnSampleMs) {
    const started = performance.now();
    await once();
    latencies.push((performance.now() - started) * 1000);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate: (latencies.length * 1000) / (performance.now() - began) };
}

/**
 * Pins this process's main thread, and so the children it spawns, to one CPU; returns how to undo it,
 * or undefined where that is not possible (not Linux, no taskset).
 */
function pinToOneCpu() {
  if (process.platform !== 'linux') return undefined;
  const pid = String(process.pid);
  try {
    const mask = execFileSync('taskset', ['-p', pid], { encoding: 'utf8' }).trim().split(' ').pop();
    execFileSync('taskset', ['-p', '1', pid], { stdio: 'ignore' });
    return () => execFileSync('taskset', ['-p', mask, pid], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

const names = Object.keys(transports);
const pinnedSamples = Object.fromEntries(names.map((name) => [name, []]));
const unpinnedP50s = Object.fromEntries(names.map((name) => [name, []]));
const rates = Object.fromEntries(names.map((name) => [name, []]));

const unpin = pinToOneCpu();
for (let round = 0; unpin !== undefined && round < rounds; round++) {
  for (const name of names) {
    const transport = await transports[name]();
    pinnedSamples[name].push(...(await roundTripSamples(transport.call)));
    await transport.close();
  }
}
unpin?.();
for (let round = 0; round < rounds; round++) {
  for (const name of names) {
    const transport = await transports[name]();
    const samples = await roundTripSamples(transport.call);
    unpinnedP50s[name].push(median(samples));
    if (unpin === undefined) pinnedSamples[name].push(...samples);
    await pipelinedRate(transport.call, warmUpCalls);
    rates[name].push(await pipelinedRate(transport.call, pipelined));
    await transport.close();
  }
}

const rows = [];
const results = {};
const latencyLabel = unpin === undefined ? 'unpinned' : 'one core';
for (const name of names) {
  const sorted = pinnedSamples[name].sort((a, b) => a - b);
  results[name] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), unpinnedP50: median(unpinnedP50s[name]), rate: median(rates[name]) };
  rows.push({
    transport: name,
    [`p50 µs (${latencyLabel})`]: results[name].p50.toFixed(1),
    [`p99 µs (${latencyLabel})`]: results[name].p99.toFixed(1),
    'p50 µs (unpinned, median child)': results[name].unpinnedP50.toFixed(1),
    'pipelined msg/s (median)': Math.round(results[name].rate),
  });
}
const spawned = await spawnPerCall();
results['spawn per call'] = spawned;
rows.push({
  transport: 'spawn per call',
  [`p50 µs (${latencyLabel})`]: '-',
  [`p99 µs (${latencyLabel})`]: '-',
  'p50 µs (unpinned, median child)': spawned.p50.toFixed(1),
  'pipelined msg/s (median)': `${Math.round(spawned.rate)} (sequential)`,
});

const port = results['port (supervisor)'];
const ratio = (value) => Number(value.toFixed(2));
const targets = [
  { target: 'pipelined ≥ 2× IPC json', ratio: ratio(port.rate / results['IPC json'].rate), goal: 2, higherIsBetter: true },
  { target: 'pipelined vs IPC advanced', ratio: ratio(port.rate / results['IPC advanced'].rate), goal: undefined },
  { target: 'pipelined ≥ 0.8× raw floor', ratio: ratio(port.rate / results['raw floor'].rate), goal: 0.8, higherIsBetter: true },
  { target: 'p50 ≤ 1.2× raw floor', ratio: ratio(port.p50 / results['raw floor'].p50), goal: 1.2, higherIsBetter: false },
  { target: 'pipelined vs batched raw floor', ratio: ratio(port.rate / results['raw floor, batched'].rate), goal: undefined },
  { target: 'round trip vs spawn per call (p50, unpinned)', ratio: ratio(spawned.p50 / port.unpinnedP50), goal: undefined },
].map(({ goal, higherIsBetter, ...row }) => ({
  ...row,
  met: goal === undefined ? '-' : (higherIsBetter ? row.ratio >= goal : row.ratio <= goal) ? 'yes' : 'NO',
}));

console.log(`${rounds} rounds; each: a fresh child per transport, ${roundTrips} round trips, ${pipelined} pipelined calls (window ${window})`);
if (unpin === undefined) console.log('latency is unpinned here (pinning needs Linux and taskset): its p50 depends on where the scheduler puts each child');
console.table(rows);
console.table(targets);
writeFileSync(
  new URL('../bench.json', import.meta.url),
  `${JSON.stringify({ backend: 'port', node: process.version, date: new Date().toISOString(), messageBytes: body.length, rounds, latency: latencyLabel, rows, targets }, null, 2)}\n`,
);
console.log('wrote bench.json');
