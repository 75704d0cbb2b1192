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
