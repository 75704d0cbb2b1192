import { InteropError } from '../errors.js';
import { filePath, nodeFs, nodePath } from './node.js';
import { packageIdentity } from './package-identity.js';

/**
 * The development override: the variable that makes a package load a binary of the developer's choosing
 * instead of the one it ships, unchecked — `INTEROP_MODULE_BINARY_` and the package's name in capitals,
 * anything else as `_` (`demo-napi` → `INTEROP_MODULE_BINARY_DEMO_NAPI`, `@acme/hash` →
 * `INTEROP_MODULE_BINARY_ACME_HASH`). One variable per package, so it never redirects another package.
 */
export function overrideVariable(packageName: string): string {
  const suffix = packageName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `INTEROP_MODULE_BINARY_${suffix}`;
}

const warned = new Set<string>();

/**
 * The file the override names for the package at `packageRoot`, or undefined when it is not set. Using it
 * warns once per process (a process warning, on stderr), because it turns the integrity check off; a
 * path that does not exist is ERR_INVALID_ARG.
 */
export function binaryOverride(packageRoot: string | URL): string | undefined {
  const { name } = packageIdentity(packageRoot);
  const variable = overrideVariable(name);
  const value = process.env[variable];
  if (value === undefined || value === '') return undefined;
  const file = nodePath().resolve(filePath(value));
  if (!nodeFs().existsSync(file)) {
    throw new InteropError('ERR_INVALID_ARG', `${variable} names ${file}, which does not exist; unset it to load the binary ${name} ships`);
  }
  if (!warned.has(variable)) {
    warned.add(variable);
    process.emitWarning(`${name} loads ${file} (from ${variable}) without an integrity check; unset ${variable} to load the binary ${name} ships`, {
      code: 'INTEROP_BINARY_OVERRIDE',
    });
  }
  return file;
}
