import { performance } from 'node:perf_hooks';
import nodePlop from 'node-plop';
import type { AddOptions } from './add-options.js';
import { UsageError, type UsageErrorCode } from './errors.js';
import { generatorsEntry, loadGenerators } from './generators.js';

/** A file `add` writes or would write, relative to the package. */
export interface AddedFile {
  file: string;
  action: 'create' | 'update' | 'unchanged';
}

export interface AddFunctionResult {
  packageDir: string;
  kind: string;
  /** `checksum(data: bytes) -> u32, offloaded` */
  signature: string;
  files: AddedFile[];
  /** The package had this function exactly as asked: nothing was written. */
  alreadyAdded: boolean;
  dryRun: boolean;
  durationMs: number;
}

/** The generator's refusals of `add`, each a usage error: exit 2, nothing written. */
const refusals: readonly string[] = ['ERR_INVALID_SIGNATURE', 'ERR_FUNCTION_EXISTS', 'ERR_UNRECOGNISED_PACKAGE'] satisfies UsageErrorCode[];

/**
 * Adds a function to a generated package: plans it with the generators' `planFunction` (which
 * refuses before anything is written, with a typed code, exit 2), then, unless a dry run, runs the
 * node-plop `function` generator — what `npx plop function` runs — which writes every file. No
 * prompts and no printing, so tests call it directly.
 */
export async function addFunction(options: AddOptions): Promise<AddFunctionResult> {
  const started = performance.now();
  const generators = await loadGenerators();
  const request = { name: options.name, args: options.args, returns: options.returns, mode: options.mode };
  let plan;
  try {
    plan = await generators.planFunction(options.packageDir, request);
  } catch (error) {
    // GeneratorError is matched by name, as main.ts does: the generators are loaded at run time.
    const code = (error as { code?: unknown }).code;
    if (error instanceof Error && error.name === 'GeneratorError' && typeof code === 'string' && refusals.includes(code)) {
      throw new UsageError(`add: ${error.message}`, code as UsageErrorCode);
    }
    throw error;
  }
  const result = (alreadyAdded: boolean): AddFunctionResult => ({
    packageDir: options.packageDir,
    kind: plan.kind,
    signature: generators.describeSignature(plan.signature),
    files: plan.files.map(({ file, action }) => ({ file, action })),
    alreadyAdded,
    dryRun: options.dryRun,
    durationMs: performance.now() - started,
  });
  if (plan.alreadyAdded || options.dryRun) return result(plan.alreadyAdded);

  const plop = await nodePlop(generatorsEntry(), { destBasePath: options.packageDir, force: false });
  const { failures } = await plop.getGenerator('function').runActions(request);
  const [firstFailure] = failures;
  if (firstFailure !== undefined) {
    throw new generators.GeneratorError('ERR_GENERATION_FAILED', `Adding ${options.name} failed: ${firstFailure.error}`);
  }
  return result(false);
}
