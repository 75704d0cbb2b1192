import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning, stillRunningAfter } from '@interop-module/runtime/testing';

const parentScript = fileURLToPath(new URL('./fixtures/port-parent.mjs', import.meta.url));
const started: { parent?: ChildProcess; portPid?: number } = {};

function killIfRunning(pid: number | undefined) {
  if (pid !== undefined && isProcessRunning(pid)) process.kill(pid, 'SIGKILL');
}

// Whatever happened in the test, neither the parent nor the port outlives it.
afterEach(() => {
  killIfRunning(started.parent?.pid);
  killIfRunning(started.portPid);
  started.parent = undefined;
  started.portPid = undefined;
});

/** Starts the parent and resolves with its port's pid, within 10 s. */
function startParent(): Promise<number> {
  const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    const killedAt = performance.now();
    const orphans = (await stillRunningAfter([portPid], 1000)).length;
    const goneAfterMs = performance.now() - killedAt;
    console.log(`orphans: ${orphans} (port gone ${goneAfterMs.toFixed(0)} ms after its parent was SIGKILLed)`);
    expect(orphans).toBe(0);
  });
});
