/**
 * The body a new function starts with, in TypeScript (lib/reference/<name>.ts) and in Rust
 * (src/functions/<name>.rs), for any signature: FNV-1a over the arguments, in order, then a result made
 * from that checksum — the checksum itself (u32), its lowest bit (bool), it as a fraction of 2³² (f64),
 * the first bytes or string argument turned left by it (bytes, string), or else it as 4 bytes or 8 hex
 * digits. Both sides use twin helpers (lib/reference/example.ts, interop_module::example) that fold
 * numbers as their bytes and never format a float, so they agree bit for bit, UTF-8 included.
 */
import { describeSignature } from './signature.js';

/** @typedef {import('./signature.js').FunctionSignature} FunctionSignature */
/** @typedef {import('./signature.js').Argument} Argument */

/** @type {Record<import('./signature.js').ReturnType, string>} */
export const typeScriptTypes = { bytes: 'Uint8Array', string: 'string', u32: 'number', f64: 'number', bool: 'boolean', void: 'void' };

/** Rust's type of each argument in a function's body, and of its result. */
const rustArgumentTypes = { bytes: '&[u8]', string: '&str', u32: 'u32', f64: 'f64', bool: 'bool' };
/** @type {Record<import('./signature.js').ReturnType, string>} */
export const rustResultTypes = { bytes: 'Vec<u8>', string: 'String', u32: 'u32', f64: 'f64', bool: 'bool', void: '()' };

/** @param {Argument} arg */
const isVariableLength = (arg) => arg.type === 'bytes' || arg.type === 'string';

/**
 * How the result is made from the fold, in each language, and the helpers that takes.
 * @param {FunctionSignature} signature
 * @returns {{ typeScript: string | undefined, rust: string, helpers: { typeScript: string[], rust: string[] }, says: string }}
 */
function resultOf(signature) {
  const none = { typeScript: [], rust: [] };
  switch (signature.returns) {
    case 'u32':
      return { typeScript: 'fold.finish()', rust: 'fold.finish()', helpers: none, says: 'the checksum' };
    case 'bool':
      return { typeScript: '(fold.finish() & 1) === 1', rust: 'fold.finish() & 1 == 1', helpers: none, says: 'whether the checksum is odd' };
    case 'f64':
      return { typeScript: 'fold.fraction()', rust: 'fold.fraction()', helpers: none, says: 'the checksum as a fraction of 2³²' };
    case 'bytes':
    case 'string': {
      // The first argument of the result's type, turned left by the checksum; without one, the checksum itself.
      const source = signature.args.find((arg) => arg.type === signature.returns);
      const isBytes = signature.returns === 'bytes';
      if (source === undefined) {
        return isBytes
          ? { typeScript: 'fold.toBytes()', rust: 'fold.to_bytes()', helpers: none, says: 'the checksum as 4 big-endian bytes' }
          : { typeScript: 'fold.toHex()', rust: 'fold.to_hex()', helpers: none, says: 'the checksum as 8 hex digits' };
      }
      const [typeScript, rust] = isBytes ? ['rotateBytes', 'rotate_bytes'] : ['rotateChars', 'rotate_chars'];
      return {
        typeScript: `${typeScript}(${source.name}, fold.finish())`,
        rust: `${rust}(${source.rustName}, fold.finish())`,
        helpers: { typeScript: [typeScript], rust: [rust] },
        says: `${source.name} turned left by the checksum${isBytes ? '' : ', in characters'}`,
      };
    }
    case 'void':
      return { typeScript: undefined, rust: '()', helpers: none, says: 'nothing: a void function is called for its effect, and this one has none' };
  }
}

/** @param {Argument} arg */
const typeScriptFold = (arg) => `fold.${arg.type === 'string' ? 'string' : arg.type}(${arg.name});`;
/** @param {Argument} arg */
const rustFold = (arg) =>
  isVariableLength(arg) ? `fold.${arg.type === 'string' ? 'str' : 'bytes'}(${arg.rustName}, cancel)?;` : `fold.${arg.type}(${arg.rustName});`;

/**
 * lib/reference/<name>.ts.
 * @param {FunctionSignature} signature
 * @param {{ isImplementation: boolean }} role whether it is the package's implementation (pure) or the native one's twin
 */
export function referenceSource(signature, role) {
  const result = resultOf(signature);
  const params = signature.args.map((arg) => `${arg.name}: ${typeScriptTypes[arg.type]}`).join(', ');
  const imports = ['Fnv1a', ...result.helpers.typeScript].join(', ');
  const about = role.isImplementation
    ? `the function itself, which lib/functions/${signature.name}.ts wraps: yours to replace. Its tests hold the package's\n * export equal to it.`
    : `the TypeScript twin of src/functions/${signature.rustName}.rs, the oracle its tests hold the native function equal\n * to and its bench times beside it. Change the two together.`;
  return `/**
 * \`${describeSignature(signature)}\`, added with \`create-interop-module add\`: ${about}
 */
import { ${imports} } from './example.js';

/** The example body: FNV-1a over the arguments; the result is ${result.says}. */
export function ${signature.name}(${params}): ${typeScriptTypes[signature.returns]} {
  const fold = new Fnv1a();
${signature.args.map((arg) => `  ${typeScriptFold(arg)}`).join('\n')}
${result.typeScript === undefined ? '' : `  return ${result.typeScript};\n`}}
`;
}

/**
 * src/functions/<name>.rs: the function's body, the same whatever calls it (a napi export, a port
 * handler, a wasm export).
 * @param {FunctionSignature} signature
 */
export function rustBodySource(signature) {
  const result = resultOf(signature);
  const usesCancel = signature.args.some(isVariableLength);
  const params = [...signature.args.map((arg) => `${arg.rustName}: ${rustArgumentTypes[arg.type]}`), `${usesCancel ? '' : '_'}cancel: &CancelFlag`];
  const header = `pub fn ${signature.rustName}(${params.join(', ')}) -> Result<${rustResultTypes[signature.returns]}, Error> {`;
  const signatureLines =
    header.length <= 100
      ? [header]
      : [`pub fn ${signature.rustName}(`, ...params.map((param) => `    ${param},`), `) -> Result<${rustResultTypes[signature.returns]}, Error> {`];
  // rustfmt's order: snake_case names before CamelCase ones.
  const exampleImports = [...result.helpers.rust, 'Fnv1a'];
  return `//! \`${describeSignature(signature)}\`, added with \`create-interop-module add\`: yours to replace.
//! lib/reference/${signature.name}.ts is its TypeScript twin, which the tests hold it equal to: change the two
//! together.

use interop_module::example::${exampleImports.length === 1 ? exampleImports[0] : `{${exampleImports.join(', ')}}`};
use interop_module::{CancelFlag, Error};

/// The example body: FNV-1a over the arguments; the result is ${result.says}. A long loop
/// reaches \`cancel.checkpoint()?\` (the fold does, every 64 KiB), so an abort or timeout frees the thread.
${params.length > 7 ? '#[allow(clippy::too_many_arguments)]\n' : ''}${signatureLines.join('\n')}
    let ${signature.args.length > 0 ? 'mut ' : ''}fold = Fnv1a::new();
${signature.args.map((arg) => `    ${rustFold(arg)}`).join('\n')}
    Ok(${result.rust})
}
`;
}
