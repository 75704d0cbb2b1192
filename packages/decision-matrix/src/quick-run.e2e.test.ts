// The slow test (tag "slow"; part of `npm test`): runs the built command with --quick for real — the
// a package of each kind generated or reused, measured — into a temp dir, and checks the three files.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { modeSettings } from './args.js';
import { kinds, metrics } from './metrics.js';
import { readmeFile, reportFileNames } from './paths.js';
import { validateReport, type Report } from './report/schema.js';
import { tempDir } from './test-support/temp.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
// Cold: a package of each kind generated and built (the Rust kinds compile); warm: about a minute.
const runLimitMs = 45 * 60 * 1000;

function runCommand(args: readonly string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), runLimitMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

describe('the matrix command, --quick, for real', { tags: ['slow'] }, () => {
  test('writes a complete latest.json, latest.md and a well-formed latest.svg, and leaves README.md alone', async () => {
    const outDir = await tempDir();
    const readmeBefore = await readFile(readmeFile, 'utf8');
    const { exitCode, stdout, stderr } = await runCommand(['--quick', '--out', outDir]);
    console.log(stderr);
    expect(exitCode, stderr).toBe(0);

    const report = JSON.parse(await readFile(path.join(outDir, reportFileNames.json), 'utf8')) as Report;
    expect(validateReport(report)).toEqual([]);
    expect(report.mode).toBe('quick');
    expect(report.settings.rounds).toBe(modeSettings.quick.rounds);

    const markdown = await readFile(path.join(outDir, reportFileNames.markdown), 'utf8');
    expect(markdown).toContain(`](${reportFileNames.svg})`);
    for (const metric of metrics) expect(markdown).toContain(`| ${metric.group}: ${metric.label} |`);
    for (const kind of kinds) expect(markdown).toContain(`| **${kind}** |`);
    expect(markdown).not.toMatch(/undefined|NaN|Infinity/);
    // What the command printed is the report it wrote.
    expect(stdout).toContain(markdown.slice(markdown.indexOf('Measured'), markdown.indexOf('\n', markdown.indexOf('Measured'))));

    const svg = await readFile(path.join(outDir, reportFileNames.svg), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<g data-metric="/g)).toHaveLength(metrics.length);

    // Not a terminal: plain progress lines, no carriage returns, for each phase.
    expect(stderr).not.toContain('\r');
    for (const phase of ['prepare', 'measure']) expect(stderr).toMatch(new RegExp(`^${phase} `, 'm'));
    expect(await readFile(readmeFile, 'utf8')).toBe(readmeBefore);
  });
});
