import { createHash } from 'node:crypto';
import { InteropError } from '@interop-module/runtime';
import type { Port } from '@interop-module/runtime/port';
import { afterEach, describe, expect, it } from 'vitest';
import { openPort } from '../lib/testing.js';
import { randomData } from './random.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const ports: Port[] = [];

afterEach(async () => {
  await Promise.all(ports.splice(0).map((port) => port.close()));
});

function open(...args: Parameters<typeof openPort>): Port {
  const port = openPort(...args);
  ports.push(port);
  return port;
}

function nextEvent(port: Port, name: 'circuit-open' | 'exit', withinMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event within ${withinMs} ms`)), withinMs);
    port.once(name, (event?: unknown) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

describe('chaos', () => {
  it('10,000 calls with the child SIGKILLed every ~200: each settles once, none hangs, service resumes after every kill', async () => {
    const totalCalls = 10_000;
    const batchSize = 50;
    const killEvery = 200;
    const timeoutMs = 2000;
    // Room for timer and scheduling lateness on a busy machine; a hung call would take forever.
    const lateMs = 1000;
    // The intensity limit is raised so the circuit stays closed: this test is about restarts.
    const port = open('release', { restart: { initialDelayMs: 1, maxDelayMs: 20, maxRestarts: 10_000, withinMs: 60_000 } });
    const settled = new Uint8Array(totalCalls);
    const outcomes = new Map<string, number>();
    let hung = 0;
    let kills = 0;
    let killsNotFollowedBySuccess = 0;
    const data = randomData(64);
    const digest = sha256(data);

    for (let issued = 0; issued < totalCalls; ) {
      const batch: Promise<string>[] = [];
      for (let i = 0; i < batchSize; i++, issued++) {
        const index = issued;
        const started = performance.now();
        const outcome = port.call('hash', data, { timeoutMs }).then(
          (reply) => (Buffer.from(reply).equals(digest) ? 'ok' : 'wrong digest'),
          (error: unknown) => (error instanceof InteropError ? error.code : `untyped: ${String(error)}`),
        );
        batch.push(
          outcome.then((label) => {
            settled[index]! += 1;
            if (performance.now() - started > timeoutMs + lateMs) hung++;
            outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
            return label;
          }),
        );
      }
      const killNow = issued % killEvery === 0 && port.pid !== undefined;
      if (killNow) {
        process.kill(port.pid!, 'SIGKILL');
        kills++;
      }
      const labels = await Promise.all(batch);
      if (killNow) {
        // The next batch must be served by the restarted child.
        const after = await Promise.all(Array.from({ length: 5 }, () => port.call('hash', data, { timeoutMs }).then(() => 'ok', () => 'failed')));
        if (!after.includes('ok')) killsNotFollowedBySuccess++;
      }
      expect(labels.every((label) => label === 'ok' || label.startsWith('ERR_')), labels.join(',')).toBe(true);
    }

    const settledOnce = settled.filter((count) => count === 1).length;
    console.log(
      `chaos: calls ${totalCalls}, kills ${kills}, settled ${settledOnce}, hung ${hung}, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    expect(settledOnce).toBe(totalCalls);
    expect(hung).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(totalCalls / killEvery - 1);
    expect(killsNotFollowedBySuccess).toBe(0);
    expect(outcomes.get('ok')).toBeGreaterThan(totalCalls / 2);
    expect([...outcomes.keys()].every((label) => ['ok', 'ERR_PORT_CRASHED'].includes(label))).toBe(true);
  });
});

describe('circuit', () => {
  it('a port that dies at start opens the circuit within the intensity limit, then fails fast until the cooldown', async () => {
    const maxRestarts = 3;
    const cooldownMs = 300;
    const port = open('crash-tests', {
      args: ['--exit-at-start'],
      restart: { initialDelayMs: 1, maxDelayMs: 50, maxRestarts, withinMs: 10_000, cooldownMs },
    });
    let spawns = 0;
    port.on('spawn', () => spawns++);
    const opened = nextEvent(port, 'circuit-open', 5000);
    await expect(port.call('hash', randomData(8))).rejects.toMatchObject({ code: 'ERR_PORT_CRASHED' });
    expect(await opened).toMatchObject({ exitsInWindow: maxRestarts + 1 });
    expect(spawns).toBe(maxRestarts + 1);

    const started = performance.now();
    await expect(port.call('hash', randomData(8))).rejects.toMatchObject({
      code: 'ERR_PORT_UNAVAILABLE',
      message: expect.stringContaining('crash trigger: exit at start'),
    });
    expect(performance.now() - started).toBeLessThan(50);
    expect(spawns).toBe(maxRestarts + 1);

    // After the cooldown one trial call goes through; the port still dies, so the circuit opens again.
    await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
    const reopened = nextEvent(port, 'circuit-open', 5000);
    await expect(port.call('hash', randomData(8))).rejects.toMatchObject({ code: 'ERR_PORT_CRASHED' });
    await reopened;
    expect(spawns).toBe(maxRestarts + 2);
  });
});
