/** The machine a report was measured on, and the commit it measured. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Machine, Report } from './report/schema.js';

/** libuv's default when UV_THREADPOOL_SIZE is not set. */
const defaultThreadpoolSize = 4;

function osName(): string {
  const kernel = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    return pretty === undefined ? kernel : `${pretty} (${kernel})`;
  } catch {
    return kernel;
  }
}

export function describeMachine(): Machine {
  const threadpool = Number(process.env.UV_THREADPOOL_SIZE);
  return {
    cpuModel: os.cpus()[0]?.model.trim() || 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    arch: process.arch,
    node: process.version,
    uvThreadpoolSize: Number.isInteger(threadpool) && threadpool > 0 ? threadpool : defaultThreadpoolSize,
  };
}

/** HEAD of the checkout at `cwd` and whether it has local changes; null outside a git checkout. */
export function currentCommit(cwd: string): Report['commit'] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  try {
    return { sha: git('rev-parse', 'HEAD').trim(), dirty: git('status', '--porcelain').trim() !== '' };
  } catch {
    return null;
  }
}
