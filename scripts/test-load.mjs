// `npm run test:load`: each kind's generated suite, run three times while two CPU-bound processes
// compete for the machine — what a laptop with an editor and a browser open, or a shared CI runner,
// looks like. The suites must stay green: their timing tests judge what a package does to the event
// loop, not how the OS shares the cores. Prints a pass/fail table; exits 1 if any run failed.
//
// The packages are the decision matrix's (generated from this checkout with the real CLI, reused while
// nothing they are made from has changed), under its lock so a bench cannot rebuild them meanwhile.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withCacheLock } from '../packages/decision-matrix/dist/cache-lock.js';
import { kinds } from '../packages/decision-matrix/dist/metrics.js';
import { cacheRoot } from '../packages/decision-matrix/dist/paths.js';
import { preparePackages } from '../packages/decision-matrix/dist/prepare.js';

const usage = `Usage: npm run test:load -- [--rounds N] [--hogs N] [--kind K ...]

Runs each kind's generated suite N times (default 3) with N (default 2) CPU-bound competitor
processes running, and prints a pass/fail table. Kinds: ${kinds.join(', ')} (default: all).`;

const suiteTimeoutMs = 20 * 60 * 1000;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        rounds: { type: 'string', default: '3' },
        hogs: { type: 'string', default: '2' },
        kind: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
    });
    const rounds = Number(values.rounds);
    const hogs = Number(values.hogs);
    const chosen = values.kind ?? kinds;
    const unknown = chosen.filter((kind) => !kinds.includes(kind));
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds must be an integer from 1 to 20');
    if (!Number.isInteger(hogs) || hogs < 0 || hogs > 16) throw new Error('--hogs must be an integer from 0 to 16');
    if (unknown.length > 0) throw new Error(`unknown kind ${unknown.join(', ')}`);
    return { rounds, hogs, kinds: chosen, help: values.help };
  } catch (error) {
    console.error(`test:load: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
}

/** `count` processes spinning on the CPU; each ends by itself after `maxMs`, in case this one is killed. */
function startHogs(count, maxMs) {
  const hogs = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', `setTimeout(() => process.exit(0), ${maxMs}).unref(); for (;;);`], { stdio: 'ignore' }),
  );
  return () => {
    for (const hog of hogs) hog.kill('SIGKILL');
  };
}

/** Runs the package's suite (already built) once; what vitest's JSON report says, and how long it took. */
async function runSuite(dir, logFile, reportFile) {
  await rm(reportFile, { force: true });
  const started = performance.now();
  const vitest = path.join(dir, 'node_modules', 'vitest', 'vitest.mjs');
  const log = [];
  const exitCode = await new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    child.stdout.on('data', (chunk) => log.push(chunk));
    child.stderr.on('data', (chunk) => log.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), suiteTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
  await writeFile(logFile, Buffer.concat(log));
  const seconds = (performance.now() - started) / 1000;
  const report = await readFile(reportFile, 'utf8').then(JSON.parse, () => undefined);
  const failed = (report?.testResults ?? []).flatMap((file) =>
    file.assertionResults.filter((test) => test.status === 'failed').map((test) => `${path.basename(file.name)} › ${test.title}`),
  );
  return { passed: exitCode === 0 && report !== undefined, tests: report?.numTotalTests ?? 0, failed, seconds };
}

async function main() {
  const chosen = options();
  if (chosen.help) {
    console.log(usage);
    return 0;
  }
  const logDir = path.join(cacheRoot, 'test-load');
  await mkdir(logDir, { recursive: true });
  return withCacheLock(path.join(cacheRoot, '.lock'), { waitMs: 30 * 60 * 1000, onWait: (pid) => console.log(`waiting for process ${pid} (a bench or another test:load) to finish`) }, async () => {
    console.log('preparing the generated packages (reused when unchanged)…');
    const prepared = await preparePackages({ onStep: (kind, step) => console.log(`  ${kind}: ${step}`) });
    const rows = [];
    for (const kind of chosen.kinds) {
      for (let round = 1; round <= chosen.rounds; round++) {
        const stopHogs = startHogs(chosen.hogs, suiteTimeoutMs);
        const logFile = path.join(logDir, `${kind}-${round}.log`);
        let result;
        try {
          result = await runSuite(prepared[kind].dir, logFile, path.join(logDir, `${kind}-${round}.json`));
        } finally {
          stopHogs();
        }
        const verdict = result.passed ? 'pass' : 'FAIL';
        console.log(`${kind} round ${round}/${chosen.rounds} with ${chosen.hogs} CPU hogs: ${verdict}, ${result.tests} tests in ${result.seconds.toFixed(0)} s (log: ${logFile})`);
        for (const name of result.failed) console.log(`    failed: ${name}`);
        rows.push({ kind, round, ...result });
      }
    }
    console.log(`\n| kind | ${Array.from({ length: chosen.rounds }, (_, i) => `round ${i + 1}`).join(' | ')} | green |`);
    console.log(`|---|${'---|'.repeat(chosen.rounds)}---|`);
    for (const kind of chosen.kinds) {
      const runs = rows.filter((row) => row.kind === kind);
      const cells = runs.map((row) => `${row.passed ? 'pass' : 'FAIL'} (${row.tests} tests, ${row.seconds.toFixed(0)} s)`);
      console.log(`| ${kind} | ${cells.join(' | ')} | ${runs.filter((row) => row.passed).length}/${runs.length} |`);
    }
    return rows.every((row) => row.passed) ? 0 : 1;
  });
}

process.exitCode = await main().catch((error) => {
  console.error(`test:load: ${error.stack ?? error}`);
  return 1;
});
