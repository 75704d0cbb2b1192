import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childProcessIds, isProcessRunning, stillRunningAfter } from './processes.js';

describe('process checks', () => {
  it('sees a running child, then reports it gone once it is killed and reaped', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(isProcessRunning(pid)).toBe(true);
    expect(childProcessIds()).toContain(pid);
    expect(await stillRunningAfter([pid], 50)).toEqual([pid]);
    child.kill('SIGKILL');
    expect(await stillRunningAfter([pid], 2000)).toEqual([]);
    expect(isProcessRunning(pid)).toBe(false);
  });

  it('counts a zombie (exited, not yet reaped) as gone', async () => {
    // A shell that starts a short-lived child and then never waits for it leaves that child a zombie.
    const shell = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombiePid = await new Promise<number>((resolve) => shell.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
      expect(await stillRunningAfter([zombiePid], 2000)).toEqual([]);
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
