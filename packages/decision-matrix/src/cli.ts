#!/usr/bin/env node
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Under `npm run bench`, relative paths are the user's, not the repository root's.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
