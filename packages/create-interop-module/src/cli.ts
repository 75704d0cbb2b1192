#!/usr/bin/env node
import { abortOnStopSignals } from './interrupt.js';
import { runCli } from './main.js';

const stop = abortOnStopSignals();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: process.stdin.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
});
stop.dispose();
// The answer is given: whatever is still pending (a probe stuck on a stalled mount, say) must not keep
// the CLI running. Unreferenced, so a CLI that is done exits at once and stdout drains normally.
setTimeout(() => process.exit(), 1000).unref();
