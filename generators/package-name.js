import { builtinModules } from 'node:module';

const maxLength = 214;
// One scope or name segment: lowercase, URL-safe without escaping, no leading '.' or '_' (npm's
// rules for new packages). Because '/' and a leading '.' are excluded, a segment is also always a
// safe single directory name: no '..', no absolute path, no separator.
const segmentPattern = /^[a-z0-9-][a-z0-9._-]*$/;
const scopedPattern = /^@([^/]+)\/([^/]+)$/;

/**
 * Why `name` cannot be published as a new npm package, or undefined when it can.
 * @param {unknown} name
 * @returns {string | undefined}
 */
export function packageNameProblem(name) {
  if (typeof name !== 'string' || name.length === 0) return 'the package name is empty';
  if (name.length > maxLength) return `the package name is longer than ${maxLength} characters`;
  if (name !== name.toLowerCase()) return `"${name}" has uppercase letters; npm names are lowercase`;
  const scoped = scopedPattern.exec(name);
  const segments = scoped ? scoped.slice(1, 3) : [name];
  for (const segment of segments) {
    if (segment.startsWith('.') || segment.startsWith('_')) {
      return `"${name}" has a part starting with "${segment[0]}"; npm names cannot`;
    }
    if (!segmentPattern.test(segment)) {
      return `"${name}" may only use lowercase letters, digits, "-", "." and "_"${scoped ? ' after an optional "@scope/"' : ' (or be "@scope/name")'}`;
    }
  }
  if (!scoped && (builtinModules.includes(name) || name === 'node_modules' || name === 'favicon.ico')) {
    return `"${name}" is reserved by Node.js or npm`;
  }
  return undefined;
}

/**
 * The package name without its scope: the default directory and the napi binary name.
 * @param {string} packageName
 */
export function binaryNameOf(packageName) {
  return packageName.startsWith('@') ? packageName.slice(packageName.indexOf('/') + 1) : packageName;
}

// Words Cargo refuses as a package or library name: Rust keywords and the built-in crates.
const reservedCrateNames = new Set(
  (
    'as async await break const continue crate dyn else enum extern false fn for if impl in let loop ' +
    'match mod move mut pub ref return self static struct super trait true type unsafe use where while ' +
    'abstract become box do final gen macro override priv try typeof unsized virtual yield ' +
    'alloc core proc_macro std test'
  ).split(' '),
);

/**
 * A Rust identifier for the crate: '-', '.' become '_'; a leading digit gets a '_' in front and a
 * reserved word a '_' behind, since Cargo would refuse either.
 * @param {string} binaryName
 */
export function crateNameOf(binaryName) {
  const identifier = binaryName.replace(/[^a-z0-9_]/g, '_');
  const startsWell = /^[0-9]/.test(identifier) ? `_${identifier}` : identifier;
  return reservedCrateNames.has(startsWell) ? `${startsWell}_` : startsWell;
}
