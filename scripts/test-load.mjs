// `npm run test:load`: each kind's generated suite, the runtime's and both examples', run three times while two CPU-bound processes
// compete for the machine — what a laptop with an editor and a browser open, or a shared CI runner,
// looks like. The suites must stay green: their timing tests judge what a package does to the event
// loop, not how the OS shares the cores. Prints a pass/fail table; exits 1 if any run failed.
//
// The generated packages are the decision matrix's (generated from this checkout with the real CLI, reused while
// nothing they are made from has changed), under its lock so a bench cannot rebuild them meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withCacheLock } from '../packages/decision-matrix/dist/cache-lock.js';
import { kinds } from '../packages/decision-matrix/dist/metrics.js';
import { cacheRoot } from '../packages/decision-matrix/dist/paths.js';
import { preparePackages } from '../packages/decision-matrix/dist/prepare.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The suites of this checkout that are run besides the generated ones, and what builds what they test. */
const checkoutSuites = {
  runtime: { dir: 'packages/runtime', prepare: [] },
  'payment-crypto': { dir: 'examples/payment-crypto', prepare: ['npm', 'run', 'pretest'] },
  'payment-gateway': { dir: 'examples/payment-gateway', prepare: ['npm', 'run', 'pretest'] },
};
const suiteNames = [...kinds, ...Object.keys(checkoutSuites)];

const usage = `Usage: npm run test:load -- [--rounds N] [--hogs N] [--suite S ...]

Runs each suite N times (default 3) with N (default 2) CPU-bound competitor processes running,
and prints a pass/fail table. Suites: the generated package of each kind (${kinds.join(', ')}),
and ${Object.keys(checkoutSuites).join(', ')} from this checkout (default: all).`;

const suiteTimeoutMs = 20 * 60 * 1000;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        rounds: { type: 'string', default: '3' },
        hogs: { type: 'string', default: '2' },
        suite: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
    });
    const rounds = Number(values.rounds);
    const hogs = Number(values.hogs);
    const chosen = values.suite ?? suiteNames;
    const unknown = chosen.filter((name) => !suiteNames.includes(name));
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds must be an integer from 1 to 20');
    if (!Number.isInteger(hogs) || hogs < 0 || hogs > 16) throw new Error('--hogs must be an integer from 0 to 16');
    if (unknown.length > 0) throw new Error(`unknown suite ${unknown.join(', ')}`);
    return { rounds, hogs, suites: chosen, help: values.help };
  } catch (error) {
    console.error(`test:load: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
}

/** `count` processes spinning on the CPU; each ends by itself after `maxMs`, in case this one is killed. */
function startHogs(count, maxMs) {
  const hogs = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end);`], { stdio: 'ignore' }),
  );
  return () => {
    for (const hog of hogs) hog.kill('SIGKILL');
  };
}

/** Runs the package's suite (already built) once; what vitest's JSON report says, and how long it took. */
async function runSuite(dir, logFile, reportFile) {
  await rm(reportFile, { force: true });
  const started = performance.now();
  // A workspace's vitest is hoisted to the checkout's node_modules; a generated package has its own.
  const vitest = path.join(path.dirname(createRequire(path.join(dir, 'package.json')).resolve('vitest/package.json')), 'vitest.mjs');
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
    const dirs = {};
    if (chosen.suites.some((name) => kinds.includes(name))) {
      console.log('preparing the generated packages (reused when unchanged)…');
      const prepared = await preparePackages({ onStep: (kind, step) => console.log(`  ${kind}: ${step}`) });
      for (const kind of kinds) dirs[kind] = prepared[kind].dir;
    }
    for (const [name, suite] of Object.entries(checkoutSuites)) {
      if (!chosen.suites.includes(name)) continue;
      dirs[name] = path.join(root, suite.dir);
      if (suite.prepare.length === 0) continue;
      console.log(`preparing ${name}: ${suite.prepare.join(' ')}`);
      const built = spawnSync(suite.prepare[0], suite.prepare.slice(1), { cwd: dirs[name], stdio: 'inherit', timeout: suiteTimeoutMs });
      if (built.status !== 0) throw new Error(`${suite.prepare.join(' ')} in ${suite.dir} failed`);
    }
    const rows = [];
    for (const suite of chosen.suites) {
      for (let round = 1; round <= chosen.rounds; round++) {
        const stopHogs = startHogs(chosen.hogs, suiteTimeoutMs);
        const logFile = path.join(logDir, `${suite}-${round}.log`);
        let result;
        try {
          result = await runSuite(dirs[suite], logFile, path.join(logDir, `${suite}-${round}.json`));
        } finally {
          stopHogs();
        }
        const verdict = result.passed ? 'pass' : 'FAIL';
        console.log(`${suite} round ${round}/${chosen.rounds} with ${chosen.hogs} CPU hogs: ${verdict}, ${result.tests} tests in ${result.seconds.toFixed(0)} s (log: ${logFile})`);
        for (const name of result.failed) console.log(`    failed: ${name}`);
        rows.push({ suite, round, ...result });
      }
    }
    console.log(`\n| suite | ${Array.from({ length: chosen.rounds }, (_, i) => `round ${i + 1}`).join(' | ')} | green |`);
    console.log(`|---|${'---|'.repeat(chosen.rounds)}---|`);
    for (const suite of chosen.suites) {
      const runs = rows.filter((row) => row.suite === suite);
      const cells = runs.map((row) => `${row.passed ? 'pass' : 'FAIL'} (${row.tests} tests, ${row.seconds.toFixed(0)} s)`);
      console.log(`| ${suite} | ${cells.join(' | ')} | ${runs.filter((row) => row.passed).length}/${runs.length} |`);
    }
    return rows.every((row) => row.passed) ? 0 : 1;
  });
}

process.exitCode = await main().catch((error) => {
  console.error(`test:load: ${error.stack ?? error}`);
  return 1;
});
