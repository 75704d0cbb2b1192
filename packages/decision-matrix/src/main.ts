/**
 * The matrix command: prepare a package of each kind, measure them in a child process, then write
 * latest.md, latest.json and latest.svg (and README.md's region when writing to bench/matrix/).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseMatrixArgs, usage, type MatrixOptions } from './args.js';
import { withCacheLock } from './cache-lock.js';
import { measureComplexity } from './complexity.js';
import { MatrixError, UsageError } from './errors.js';
import { describeMachine, currentCommit } from './machine.js';
import { measurementLabel, type Kind } from './metrics.js';
import { cacheRoot, committedOutDir, readmeFile, repoRoot, reportFileNames, runtimeRoot } from './paths.js';
import { preparePackages } from './prepare.js';
import { Progress, formatClock, type ProgressStream } from './progress.js';
import { buildReport } from './report/build.js';
import { renderMarkdown } from './report/markdown.js';
import { replaceRegion } from './report/readme.js';
import { validateReport, type Complexity, type Report } from './report/schema.js';
import { renderSvg } from './report/svg.js';
import type { StepMessage } from './workload/protocol.js';
import { runWorkload } from './workload/run.js';

/** A cold build of every kind, or a long full run, may be in progress elsewhere. */
const lockWaitMs = 30 * 60 * 1000;
const bugsUrl = 'https://github.com/interop-module/create-interop-module/issues';

export interface MatrixIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

export interface MatrixRun {
  report: Report;
  outDir: string;
  files: string[];
  readmeUpdated: boolean;
}

function defaultOutDir(options: MatrixOptions): string {
  // A quick run's numbers are not worth committing: they go to the cache unless asked otherwise.
  return options.outDir ?? (options.mode === 'quick' ? path.join(cacheRoot, 'quick') : committedOutDir);
}

function describeStep(step: StepMessage, rounds: number): string {
  if (step.measurement === 'warm-up') return `load, check and warm up · ${step.subject}`;
  return `round ${step.round}/${rounds} · ${measurementLabel(step.measurement)} · ${step.subject}`;
}

async function writeReport(report: Report, outDir: string): Promise<{ files: string[]; readmeUpdated: boolean }> {
  const markdown = renderMarkdown(report, { chartHref: reportFileNames.svg, headingLevel: 2 });
  const contents = {
    [reportFileNames.markdown]: `# Decision matrix: the latest run\n\n${markdown}`,
    [reportFileNames.json]: `${JSON.stringify(report, null, 2)}\n`,
    [reportFileNames.svg]: renderSvg(report),
  };
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [name, content] of Object.entries(contents)) {
    const file = path.join(outDir, name);
    await writeFile(file, content);
    files.push(file);
  }
  if (path.resolve(outDir) !== committedOutDir) return { files, readmeUpdated: false };
  const chartHref = path.relative(repoRoot, path.join(committedOutDir, reportFileNames.svg)).split(path.sep).join('/');
  const region = renderMarkdown(report, { chartHref, headingLevel: 3 });
  await writeFile(readmeFile, replaceRegion(await readFile(readmeFile, 'utf8'), region));
  return { files, readmeUpdated: true };
}

export async function runMatrix(options: MatrixOptions, io: MatrixIo): Promise<MatrixRun> {
  const outDir = defaultOutDir(options);
  const progress = new Progress(io.stderr);
  const onWait = (pid: number) => progress.log(`waiting for another matrix run (pid ${pid}) to finish with the package cache`);
  try {
    return await withCacheLock(path.join(cacheRoot, '.lock'), { waitMs: lockWaitMs, onWait }, async () => {
      progress.startPhase('prepare');
      const prepared = Object.values(await preparePackages({ onStep: (kind, step) => progress.update(`${kind}: ${step}`) }));
      const built = prepared.filter((pkg) => !pkg.reused).map((pkg) => pkg.kind);
      const reused = prepared.filter((pkg) => pkg.reused).map((pkg) => pkg.kind);
      progress.log(`packages: ${[built.length > 0 && `built ${built.join(', ')}`, reused.length > 0 && `reused ${reused.join(', ')}`].filter(Boolean).join('; ')}`);

      progress.startPhase('measure');
      const loadBefore = os.loadavg();
      const started = performance.now();
      const packages = Object.fromEntries(prepared.map((pkg) => [pkg.kind, pkg.dir]));
      const samples = await runWorkload({ packages, settings: options.settings }, (step) =>
        progress.update(describeStep(step, options.settings.rounds), step.done, step.total),
      );
      const durationSeconds = (performance.now() - started) / 1000;
      const loadAfter = os.loadavg();

      progress.startPhase('report');
      const complexity = {} as Record<Kind, Complexity>;
      for (const pkg of prepared) complexity[pkg.kind] = await measureComplexity(pkg.dir, path.join(runtimeRoot, 'src'));
      const report = buildReport({
        mode: options.mode,
        settings: options.settings,
        samples,
        date: new Date(),
        commit: currentCommit(repoRoot),
        machine: describeMachine(),
        loadAverage: { before: loadBefore, after: loadAfter },
        durationSeconds,
        complexity,
      });
      // Checked as it will be read back: what JSON cannot carry (NaN, Infinity) must fail here.
      const problems = validateReport(JSON.parse(JSON.stringify(report)));
      if (problems.length > 0) {
        throw new MatrixError('ERR_REPORT_INVALID', `the report is incomplete, so nothing was written:\n- ${problems.join('\n- ')}`);
      }
      progress.log(`measured for ${formatClock(durationSeconds * 1000)}`);
      return { report, outDir, ...(await writeReport(report, outDir)) };
    });
  } finally {
    progress.stop();
  }
}

/** The command line: 0 done, 1 the run failed (or a bug), 2 a usage mistake. */
export async function runCli(argv: readonly string[], io: MatrixIo & { cwd: string }): Promise<number> {
  try {
    const command = parseMatrixArgs(argv, io.cwd);
    if (command.help) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    const run = await runMatrix(command.options, io);
    io.stdout.write(`${renderMarkdown(run.report, { chartHref: reportFileNames.svg, headingLevel: 2 })}\n`);
    io.stdout.write(`Wrote ${run.files.join(', ')}${run.readmeUpdated ? ', and the matrix region of README.md' : ''}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${usage}\n`);
      return error.exitCode;
    }
    if (error instanceof MatrixError) {
      io.stderr.write(`decision matrix: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`decision matrix: unexpected error; please report it at ${bugsUrl}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
