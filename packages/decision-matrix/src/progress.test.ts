import { describe, expect, it } from 'vitest';
import { Progress, formatClock, remainingMs, renderProgressLine } from './progress.js';

describe('renderProgressLine', () => {
  it('shows the phase, a bar, the step and the time left', () => {
    const line = renderProgressLine({ phase: 'measure', detail: 'round 2/4 · hash, 256 B · napi', fraction: 0.5, elapsedMs: 30_000 }, 120);
    expect(line).toBe(`measure  [${'#'.repeat(12)}${'-'.repeat(12)}]  50%  round 2/4 · hash, 256 B · napi  30s left`);
  });

  it('shows the time so far when the phase cannot count, and fits the terminal', () => {
    expect(renderProgressLine({ phase: 'prepare', detail: 'napi: build:crash', fraction: undefined, elapsedMs: 61_000 }, 80)).toBe(
      'prepare  napi: build:crash  1m01s so far',
    );
    const narrow = renderProgressLine({ phase: 'measure', detail: 'x'.repeat(200), fraction: 0.1, elapsedMs: 1000 }, 40);
    expect(narrow).toHaveLength(39);
    expect(narrow.endsWith('…')).toBe(true);
  });
});

describe('remainingMs and formatClock', () => {
  it('extrapolates from the pace so far', () => {
    expect(remainingMs(0.25, 10_000)).toBe(30_000);
    expect(remainingMs(0, 10_000)).toBeUndefined();
    expect(formatClock(30_000)).toBe('30s');
    expect(formatClock(125_400)).toBe('2m05s');
  });
});

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) }, writes };
}

describe('Progress', () => {
  it('on a terminal redraws one line in place and clears it at the end', () => {
    const { stream, writes } = recorder(true);
    let now = 0;
    const progress = new Progress(stream, () => now);
    progress.startPhase('measure');
    now = 1000;
    progress.update('round 1/2', 1, 4);
    progress.log('note');
    progress.stop();
    expect(writes[0]).toBe(`\rmeasure  [${'#'.repeat(6)}${'-'.repeat(18)}]  25%  round 1/2  3s left\x1b[K`);
    expect(writes.every((write) => !write.endsWith('\n') || write === 'note\n')).toBe(true);
    expect(writes).toContain('note\n');
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('elsewhere prints plain lines: each step of a phase that cannot count, and each tenth of one that can', () => {
    const { stream, writes } = recorder(false);
    const progress = new Progress(stream, () => 0);
    progress.startPhase('prepare');
    progress.update('napi: reuse');
    progress.update('port: build');
    progress.startPhase('measure');
    for (let done = 0; done < 100; done++) progress.update(`step ${done}`, done, 100);
    progress.stop();
    expect(writes.every((write) => write.endsWith('\n') && !write.includes('\r'))).toBe(true);
    expect(writes.filter((write) => write.startsWith('prepare'))).toHaveLength(2);
    expect(writes.filter((write) => write.startsWith('measure'))).toHaveLength(10);
  });
});
