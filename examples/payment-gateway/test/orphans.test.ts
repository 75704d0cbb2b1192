import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning, stillRunningAfter } from '@interop-module/runtime/testing';
import { tempFiles } from './support.js';

const parentScript = fileURLToPath(new URL('./fixtures/gateway-parent.mjs', import.meta.url));
const started: { parent?: ChildProcess; portPid?: number } = {};

// Whatever happened in the test, neither the parent nor the port outlives it.
afterEach(() => {
  for (const pid of [started.parent?.pid, started.portPid]) {
    if (pid !== undefined && isProcessRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  started.parent = undefined;
  started.portPid = undefined;
});

/** Starts the parent and resolves with its port's pid, within 10 s. */
function startParent(): Promise<number> {
  const { journalPath, sandboxLedgerPath } = tempFiles();
  const parent = spawn(process.execPath, [parentScript, journalPath, sandboxLedgerPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.parent = parent;
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no port pid within 10 s; output: ${output}`)), 10_000);
    parent.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{.*\}$/m.exec(output);
      if (line === null) return;
      clearTimeout(timer);
      const { portPid } = JSON.parse(line[0]) as { portPid: number };
      started.portPid = portPid;
      resolve(portPid);
    });
    parent.on('exit', (code) => reject(new Error(`the parent exited (${code}) before starting its port; output: ${output}`)));
  });
}

describe('no orphans', () => {
  it('a SIGKILLed parent leaves no port process behind (gone within 1 s)', async () => {
    const portPid = await startParent();
    expect(isProcessRunning(portPid)).toBe(true);
    started.parent!.kill('SIGKILL');
    expect(await stillRunningAfter([portPid], 1000)).toEqual([]);
  });
});
