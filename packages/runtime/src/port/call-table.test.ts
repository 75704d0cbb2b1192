import { afterEach, describe, expect, it, vi } from 'vitest';
import { InteropError } from '../errors.js';
import { CallTable, nextCallId, type Call } from './call-table.js';

interface TestCall extends Call {
  name: string;
  /** How the call settled, in order: a second entry would mean it settled twice. */
  outcomes: string[];
}

function call(name: string, trial = false): TestCall {
  const outcomes: string[] = [];
  return {
    name,
    outcomes,
    trial,
    abandoned: false,
    resolve: (value) => outcomes.push(`ok ${Buffer.from(value).toString()}`),
    reject: (error) => outcomes.push(error.code),
  };
}

function tableOf(maxInFlight: number, ...names: string[]) {
  const table = new CallTable<TestCall>(maxInFlight, 100);
  const calls = names.map((name) => call(name));
  for (const added of calls) table.add(added);
  return { table, calls };
}

/** Sends every call it can; returns their names. */
function sendAll(table: CallTable<TestCall>): string[] {
  const sent: string[] = [];
  for (let next = table.send(); next !== undefined; next = table.send()) sent.push(next.name);
  return sent;
}

const crashed = () => new InteropError('ERR_PORT_CRASHED', 'gone');

afterEach(() => {
  vi.useRealTimers();
});

describe('ids', () => {
  it('counts up from 1 and wraps from 2³² − 1 to 0', () => {
    const free = () => false;
    expect(nextCallId(0, free)).toBe(1);
    expect(nextCallId(0xffff_fffe, free)).toBe(0xffff_ffff);
    expect(nextCallId(0xffff_ffff, free)).toBe(0);
  });

  it('skips ids still in flight, across the wrap too', () => {
    const inUse = new Set([0xffff_ffff, 0, 1]);
    expect(nextCallId(0xffff_fffe, (id) => inUse.has(id))).toBe(2);
  });
});

describe('sending', () => {
  it('sends waiting calls in order, at most maxInFlight at a time', () => {
    const { table } = tableOf(2, 'a', 'b', 'c');
    expect(table.full).toBe(true);
    expect(sendAll(table)).toEqual(['a', 'b']);
    expect([table.inFlight, table.waiting]).toEqual([2, 1]);
    table.resolve(1, Buffer.from('a'));
    expect(sendAll(table)).toEqual(['c']);
    expect(table.full).toBe(true);
    table.resolve(2, Buffer.from('b'));
    expect(table.full).toBe(false);
  });

  it('an idle table has nothing outstanding and nothing to send', () => {
    const { table } = tableOf(2);
    expect(table.send()).toBeUndefined();
    expect([table.outstanding, table.busy, table.full]).toEqual([false, false, false]);
  });
});

describe('settling', () => {
  it('settles the call in flight under an id with its reply, once', () => {
    const { table, calls } = tableOf(4, 'a', 'b');
    sendAll(table);
    expect(table.resolve(1, Buffer.from('one'))).toBe(calls[0]);
    expect(table.reject(2, new InteropError('ERR_NATIVE_PANIC', 'x'))).toBe(calls[1]);
    // Replies to ids no longer (or never) in flight settle nothing: the supervisor treats them as protocol errors.
    expect(table.resolve(1, Buffer.from('again'))).toBeUndefined();
    expect(table.reject(7, crashed())).toBeUndefined();
    expect(calls.map((settled) => settled.outcomes)).toEqual([['ok one'], ['ERR_NATIVE_PANIC']]);
    expect(table.outstanding).toBe(false);
  });

  it('rejects every call in flight with an error of its own, or every waiting call, leaving the others', () => {
    const { table, calls } = tableOf(2, 'a', 'b', 'c');
    sendAll(table);
    const errors: InteropError[] = [];
    table.rejectInFlight(() => {
      errors.push(crashed());
      return errors.at(-1)!;
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).not.toBe(errors[1]);
    expect(calls.map((settled) => settled.outcomes)).toEqual([['ERR_PORT_CRASHED'], ['ERR_PORT_CRASHED'], []]);
    table.rejectWaiting(new InteropError('ERR_PORT_UNAVAILABLE', 'closed'));
    expect(calls[2]!.outcomes).toEqual(['ERR_PORT_UNAVAILABLE']);
    expect(table.outstanding).toBe(false);
    expect(table.resolve(1, Buffer.from('late'))).toBeUndefined();
  });

  it('carries the trial mark to the reply', () => {
    const table = new CallTable<TestCall>(1, 100);
    table.add(call('trial', true));
    const sent = table.send()!;
    expect(table.resolve(sent.id!, Buffer.alloc(0))?.trial).toBe(true);
  });
});

describe('abandoning', () => {
  it('withdraws a waiting call without settling it', () => {
    const { table, calls } = tableOf(1, 'a', 'b');
    sendAll(table);
    expect(table.abandon(calls[1]!)).toBe('withdrawn');
    expect([table.inFlight, table.waiting]).toEqual([1, 0]);
    expect(calls[1]!.outcomes).toEqual([]);
  });

  it('keeps a call in flight until answered — it holds its slot — but no longer awaited', () => {
    const { table, calls } = tableOf(1, 'a', 'b');
    sendAll(table);
    expect(table.abandon(calls[0]!)).toBe('in-flight');
    expect([table.busy, table.outstanding]).toEqual([true, true]);
    table.abandon(calls[1]!);
    expect([table.busy, table.outstanding, table.inFlight]).toEqual([false, true, 1]);
    expect(table.send()).toBeUndefined();
    table.resolve(1, Buffer.from('late'));
    expect(table.outstanding).toBe(false);
  });

  it('a call that has already settled is left alone', () => {
    const { table, calls } = tableOf(1, 'a');
    sendAll(table);
    table.resolve(1, Buffer.from('a'));
    expect(table.abandon(calls[0]!)).toBeUndefined();
  });

  it('runs onStuck when an abandoned call is still in flight cancelGraceMs after its cancel', () => {
    vi.useFakeTimers();
    const { table, calls } = tableOf(2, 'stuck', 'answered');
    sendAll(table);
    const stuck: string[] = [];
    for (const abandoned of calls) {
      table.abandon(abandoned);
      table.startCancelGrace(abandoned, () => stuck.push(abandoned.name));
    }
    vi.advanceTimersByTime(99);
    table.resolve(calls[1]!.id!, Buffer.alloc(0));
    vi.advanceTimersByTime(1);
    expect(stuck).toEqual(['stuck']);
  });

  it('a call rejected with the rest of its child is no longer watched', () => {
    vi.useFakeTimers();
    const { table, calls } = tableOf(1, 'a');
    sendAll(table);
    table.abandon(calls[0]!);
    let stuck = false;
    table.startCancelGrace(calls[0]!, () => (stuck = true));
    table.rejectInFlight(crashed);
    vi.advanceTimersByTime(1000);
    expect(stuck).toBe(false);
  });
});

describe('idle', () => {
  it('resolves at once when no call is awaited', async () => {
    await expect(tableOf(1).table.idle()).resolves.toBeUndefined();
  });

  it('resolves once the last awaited call settles or is abandoned, not before', async () => {
    const { table, calls } = tableOf(2, 'a', 'b', 'c');
    sendAll(table);
    const steps: string[] = [];
    const idle = table.idle().then(() => steps.push('idle'));
    const settle = async (step: string, act: () => void) => {
      act();
      await Promise.resolve();
      steps.push(step);
    };
    await settle('a answered', () => table.resolve(1, Buffer.from('a')));
    await settle('c withdrawn', () => table.abandon(calls[2]!));
    await settle('b abandoned', () => table.abandon(calls[1]!));
    await idle;
    expect(steps).toEqual(['a answered', 'c withdrawn', 'idle', 'b abandoned']);
  });
});
