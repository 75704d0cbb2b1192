/**
 * What `create-interop-module add` (and `npx plop function`) is asked to add: a function's name, its
 * arguments and return type, and whether it is offloaded; checked here once for both, with the names it
 * gets in TypeScript (camelCase, as given) and Rust (snake_case).
 */
import { GeneratorError } from '../errors.js';

export const argumentTypes = /** @type {const} */ (['bytes', 'string', 'u32', 'f64', 'bool']);
export const returnTypes = /** @type {const} */ ([...argumentTypes, 'void']);
export const modes = /** @type {const} */ (['offload', 'sync']);

/** @typedef {(typeof argumentTypes)[number]} ArgumentType */
/** @typedef {(typeof returnTypes)[number]} ReturnType */
/** @typedef {(typeof modes)[number]} Mode */

/**
 * @typedef {object} Argument
 * @property {string} name camelCase, as in TypeScript
 * @property {string} rustName snake_case
 * @property {ArgumentType} type
 */

/**
 * @typedef {object} FunctionSignature
 * @property {string} name camelCase, as in TypeScript and as the port's method
 * @property {string} rustName snake_case: the Rust function and its module
 * @property {Argument[]} args
 * @property {ReturnType} returns
 * @property {Mode} mode
 */

/**
 * What was asked, before it is checked.
 * @typedef {object} FunctionRequest
 * @property {string} name
 * @property {string[]} args each `name:type`
 * @property {string} returns
 * @property {string} mode
 */

export const maxArguments = 8;
const maxNameLength = 64;

// Words neither language lets a function or an argument be called, and strict-mode and module words.
const keywords = new Set(
  (
    // TypeScript and JavaScript
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await as async any boolean number ' +
    'string symbol bigint object never unknown undefined declare namespace module require arguments eval of get set ' +
    // Rust, strict and reserved
    'crate dyn extern fn impl loop match mod move mut pub ref self struct trait type unsafe use where abstract ' +
    'become box final gen macro override priv unsized virtual union'
  ).split(' '),
);

/**
 * Names a function cannot take: `then` would make the package's module namespace a thenable (awaiting
 * an import would call it), `echo` and `crash` are a port's own methods, `main` is a port's entry.
 */
const reservedFunctionNames = new Set(['then', 'constructor', 'prototype', 'echo', 'main', 'default']);

/** Names the generated code itself uses around the arguments (wrappers, glue, tests). */
export const reservedArgumentNames = Object.freeze([
  'options',
  'signal',
  'timeoutMs',
  'cancel',
  'cancelToken',
  'token',
  'body',
  'fields',
  'result',
  'fold',
  'native',
  'port',
  'module',
  'ptr',
  'len',
  'error',
  'reply',
]);

const camelCase = /^[a-z][a-zA-Z0-9]*$/;

/** @param {string} name a camelCase name */
export function snakeCaseOf(name) {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Why `name` cannot name a function or argument in both languages, or undefined.
 * @param {string} name
 * @param {string} what 'the function' or 'argument "x"'
 */
function identifierProblem(name, what) {
  if (!camelCase.test(name)) {
    return `${what} must be a camelCase identifier (a lowercase letter, then letters and digits), got "${name}"`;
  }
  if (name.length > maxNameLength) return `${what} must be at most ${maxNameLength} characters`;
  const rustName = snakeCaseOf(name);
  if (keywords.has(name) || keywords.has(rustName)) return `${what} is "${name}", a reserved word in TypeScript or Rust`;
  return undefined;
}

/**
 * Why `name` cannot be an added function's name, or undefined (whether the package already has it is
 * plan.js's question).
 * @param {string} name
 */
export function functionNameProblem(name) {
  const problem = identifierProblem(name, 'the function name');
  if (problem !== undefined) return problem;
  if (reservedFunctionNames.has(name) || name.startsWith('crash')) {
    return `"${name}" is reserved (${[...reservedFunctionNames].join(', ')}, and names starting with crash, as the crash triggers' do)`;
  }
  return undefined;
}

/**
 * @param {string} value
 * @param {readonly string[]} allowed
 * @returns {boolean}
 */
const isOneOf = (value, allowed) => allowed.includes(value);

/**
 * The arguments of `specs` (each `name:type`), or the first problem with them.
 * @param {readonly string[]} specs
 * @param {string} functionName
 * @returns {Argument[] | string}
 */
export function parseArguments(specs, functionName) {
  if (specs.length === 0) return 'a function takes at least one argument (--arg <name>:<type>)';
  if (specs.length > maxArguments) return `a function takes at most ${maxArguments} arguments, got ${specs.length}`;
  /** @type {Argument[]} */
  const args = [];
  for (const spec of specs) {
    const [name = '', type = '', ...extra] = spec.trim().split(':').map((part) => part.trim());
    if (extra.length > 0 || type === '') return `an argument is <name>:<type>, got "${spec}"`;
    const problem = identifierProblem(name, `argument "${name}"`);
    if (problem !== undefined) return problem;
    if (reservedArgumentNames.includes(name)) return `argument "${name}" is reserved (${reservedArgumentNames.join(', ')})`;
    if (name === functionName) return `argument "${name}" has the function's own name`;
    if (args.some((arg) => arg.name === name)) return `argument "${name}" is named twice`;
    if (!isOneOf(type, argumentTypes)) return `argument "${name}" has the type "${type}"; the types are ${argumentTypes.join(', ')}`;
    args.push({ name, rustName: snakeCaseOf(name), type: /** @type {ArgumentType} */ (type) });
  }
  return args;
}

/**
 * The request, checked: GeneratorError ERR_INVALID_SIGNATURE naming the first problem.
 * @param {FunctionRequest} request
 * @param {{ kind: string, hashSync: boolean }} kind the package's kind facts: sync functions need a kind that has hashSync
 * @returns {FunctionSignature}
 */
export function checkSignature(request, kind) {
  const invalid = (/** @type {string} */ message) => new GeneratorError('ERR_INVALID_SIGNATURE', `Cannot add ${request.name || 'the function'}: ${message}.`);
  const nameProblem = functionNameProblem(request.name);
  if (nameProblem !== undefined) throw invalid(nameProblem);
  const args = parseArguments(request.args, request.name);
  if (typeof args === 'string') throw invalid(args);
  if (!isOneOf(request.returns, returnTypes)) throw invalid(`the return type is "${request.returns}"; the types are ${returnTypes.join(', ')}`);
  if (!isOneOf(request.mode, modes)) throw invalid(`the mode is "${request.mode}"; it is offload or sync`);
  if (request.mode === 'sync' && !kind.hashSync) {
    throw invalid(`a ${kind.kind} package has no sync functions (it is asynchronous by nature, as it has no hashSync); leave out --sync`);
  }
  return {
    name: request.name,
    rustName: snakeCaseOf(request.name),
    args,
    returns: /** @type {ReturnType} */ (request.returns),
    mode: /** @type {Mode} */ (request.mode),
  };
}

/**
 * One line for people and for the first line of each generated block: `checksum(data: bytes) -> u32, offloaded`.
 * @param {FunctionSignature} signature
 */
export function describeSignature(signature) {
  const args = signature.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ');
  return `${signature.name}(${args}) -> ${signature.returns}, ${signature.mode === 'offload' ? 'offloaded' : 'sync'}`;
}
