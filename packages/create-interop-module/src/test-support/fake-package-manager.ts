import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './temp.js';

export interface FakePackageManager {
  /** Absolute path of the fake. */
  command: string;
  /** PATH with the fake first, for vi.stubEnv or a child's env. */
  path: string;
  /** One line per call: "<cwd> <args>". */
  log: string;
  /** Where a hanging call writes "<its pid> <its child's pid>". */
  pidsFile: string;
}

/**
 * Puts a fake package manager (`npm` unless named otherwise) on a PATH that logs each call. With
 * `failOn`, the call whose first argument matches fails with exit 3 and "boom from <arg>" on
 * stderr. With `hangOn`, that call starts a child of its own, records both pids and waits for it
 * (5 minutes), as a slow `npm install` does; it ignores SIGHUP, as a process in a terminal that
 * stays open never gets one.
 */
export async function fakePackageManager(
  options: { name?: string; failOn?: string; hangOn?: string } = {},
): Promise<FakePackageManager> {
  const bin = await tempDir();
  const log = path.join(bin, 'calls.log');
  const pidsFile = path.join(bin, 'pids');
  const script = [
    '#!/bin/sh',
    `echo "$PWD $*" >> "${log}"`,
    options.failOn === undefined ? '' : `if [ "$1" = "${options.failOn}" ]; then echo "boom from $1" >&2; exit 3; fi`,
    options.hangOn === undefined
      ? ''
      : `if [ "$1" = "${options.hangOn}" ]; then trap '' HUP; sleep 300 & echo "$$ $!" > "${pidsFile}.tmp"; mv "${pidsFile}.tmp" "${pidsFile}"; wait; fi`,
    'exit 0',
  ].join('\n');
  const file = path.join(bin, options.name ?? 'npm');
  await writeFile(file, script);
  await chmod(file, 0o755);
  return { command: file, path: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, log, pidsFile };
}

/**
 * The pids a hanging call wrote to `pidsFile` ("<pid> <pid>..."), once it has: polled every 20 ms
 * for at most `withinMs`.
 */
export async function hangingPids(pidsFile: string, withinMs = 10_000): Promise<number[]> {
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    const text = await readFile(pidsFile, 'utf8').catch(() => undefined);
    if (text !== undefined) return text.trim().split(' ').map(Number);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nothing wrote ${pidsFile} within ${withinMs} ms`);
}
