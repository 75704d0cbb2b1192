import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import {
  CommandFailedError,
  InterruptedError,
  OverwriteDeclinedError,
  PreflightError,
  PromptCancelledError,
  UsageError,
  type CliError,
} from './errors.js';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

/** README table rows: code → exit column. */
function documentedExits(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const [, code, exit] of readme.matchAll(/^\| `(ERR_[A-Z_]+)` \| ([^|]+) \|/gm)) rows.set(code!, exit!.trim());
  return rows;
}

const everyCliError: CliError[] = [
  new UsageError('x'),
  new UsageError('x', 'ERR_DESTINATION_UNWRITABLE'),
  new UsageError('x', 'ERR_NOT_IN_PACKAGE'),
  new UsageError('x', 'ERR_INVALID_SIGNATURE'),
  new UsageError('x', 'ERR_FUNCTION_EXISTS'),
  new UsageError('x', 'ERR_UNRECOGNISED_PACKAGE'),
  new PreflightError('x'),
  new PromptCancelledError(),
  new OverwriteDeclinedError('/x'),
  new InterruptedError('SIGINT', 'install'),
  new CommandFailedError(['npm', 'install'], { exitCode: 1, signal: null }, ''),
];

test('the README table documents every code the CLI ends with, and its exit code', () => {
  const documented = documentedExits();
  for (const error of everyCliError) {
    expect(documented.get(error.code), error.code).toMatch(new RegExp(`^${error.exitCode}\\b`));
  }
});

test('an interrupt exits 128 + the signal number', () => {
  expect(new InterruptedError('SIGINT', 'build').exitCode).toBe(130);
  expect(new InterruptedError('SIGTERM', 'build').exitCode).toBe(143);
  expect(new InterruptedError('SIGHUP', 'build').exitCode).toBe(129);
});
