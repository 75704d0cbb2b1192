/**
 * The test file (test/functions/<name>.test.ts) and the bench entry (bench/functions/<name>.mjs) `add`
 * writes for a function, by kind. The tests: the export equals its reference (fast-check, FC_NUM_RUNS
 * runs, 10,000 by default); every argument refused with ERR_INVALID_ARG naming it; for offloaded
 * functions abort, timeout and the event loop; a panic through the crash build where the kind has one.
 */
import { describeSignature } from './signature.js';

/** @typedef {import('./signature.js').FunctionSignature} FunctionSignature */
/** @typedef {import('./signature.js').ArgumentType} ArgumentType */

/** A value each type accepts. @type {Record<ArgumentType, string>} */
const goodValues = { bytes: 'Uint8Array.of(1, 2, 3)', string: "'héllo ✓'", u32: '7', f64: '0.5', bool: 'true' };

/** Large arguments (the event-loop test): 16 MiB of bytes, a long string. @type {Record<ArgumentType, string>} */
const largeValues = { bytes: 'largeBytes', string: 'largeString', u32: '0xffffffff', f64: '-1.5e300', bool: 'false' };

/** Arguments of 0 B (the bench's per-call cost) and of 64 KiB. @type {Record<ArgumentType, [string, string]>} */
const benchValues = {
  bytes: ['new Uint8Array(0)', 'new Uint8Array(randomBytes(64 * 1024))'],
  string: ["''", "'x'.repeat(64 * 1024)"],
  u32: ['7', '7'],
  f64: ['0.5', '0.5'],
  bool: ['true', 'true'],
};

/** fast-check arbitraries. @type {Record<ArgumentType, string>} */
const arbitraries = {
  bytes: 'fc.uint8Array({ maxLength: 512 })',
  // Strings with any code point, and ones made of lone surrogates too (each becomes U+FFFD in UTF-8), and
  // ones around U+FEFF, which a result decoded as a byte-order mark would lose.
  string:
    "fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 16 }), fc.string({ maxLength: 32 }), fc.string({ maxLength: 8 }).map((text) => `\\ufeff${text}\\ufeff`))",
  u32: 'fc.integer({ min: 0, max: 0xffffffff })',
  f64: 'fc.double({ noNaN: true, noDefaultInfinity: true })',
  bool: 'fc.boolean()',
};

/** What each type refuses: [what, value]. @type {Record<ArgumentType, [string, string][]>} */
const badValues = {
  bytes: [
    ['a string', "'abc'"],
    ['an array', '[1, 2, 3]'],
    ['null', 'null'],
    ['more than ARGUMENT_LIMITS.maxBytes', 'new Uint8Array(ARGUMENT_LIMITS.maxBytes + 1)'],
  ],
  string: [
    ['a number', '7'],
    ['undefined', 'undefined'],
    ['more than ARGUMENT_LIMITS.maxStringBytes of UTF-8', "'x'.repeat(ARGUMENT_LIMITS.maxStringBytes + 1)"],
  ],
  u32: [
    ['-1', '-1'],
    ['1.5', '1.5'],
    ['2 ** 32', '2 ** 32'],
    ['a string', "'7'"],
  ],
  f64: [
    ['NaN', 'Number.NaN'],
    ['Infinity', 'Infinity'],
    ['a string', "'0.5'"],
  ],
  bool: [
    ['a number', '1'],
    ['a string', "'true'"],
  ],
};

/** What the crash build's panic test expects, by kind; absent: the kind has no crash hook (pure). */
const panicCodes = { napi: 'ERR_NATIVE_PANIC', port: 'ERR_NATIVE_PANIC', wasm: 'ERR_WASM_TRAP' };

/** @param {FunctionSignature} signature @param {Record<ArgumentType, string>} values */
const argumentList = (signature, values) => signature.args.map((arg) => values[arg.type]).join(', ');

/**
 * The offloaded call takes its bytes when made, as the contract's calls do: eight calls on 64 KiB
 * buffers that are overwritten right after them all answer as the reference does on the originals.
 * @param {FunctionSignature} signature
 */
function takesBytesTest(signature) {
  const values = signature.args.map((arg) => (arg.type === 'bytes' ? 'randomData(64 * 1024)' : goodValues[arg.type]));
  const overwrites = signature.args.flatMap((arg, at) => (arg.type === 'bytes' ? [`    args[${at}].fill(0);`] : []));
  return [
    '',
    "  it('takes its bytes when called: the caller may overwrite them as soon as the call returns', async () => {",
    `    const args = [${values.join(', ')}] as const;`,
    '    const expected = plain(reference(...args));',
    '    // More calls than run at once: the last ones start after the overwrite.',
    `    const results = Array.from({ length: 8 }, () => ${signature.name}(...args));`,
    ...overwrites,
    '    for (const result of await Promise.all(results)) expect(plain(result)).toEqual(expected);',
    '  });',
  ];
}

/**
 * The panic test: arms the crash build's hook, runs this function's wrapper on that build, expects
 * the kind's code, then a good answer from the same build.
 * @param {string} kind
 * @param {FunctionSignature} signature
 */
function panicTest(kind, signature) {
  const code = panicCodes[/** @type {keyof typeof panicCodes} */ (kind)];
  if (code === undefined) return [];
  const offload = signature.mode === 'offload';
  const setUp = {
    napi: [`    const onCrashBuild = ${signature.name}On(armPanic());`],
    port: ['    const crashPort = await armPanic();', `    const onCrashBuild = ${signature.name}On(() => crashPort);`],
    wasm: [`    const crashModule = await armPanic('${offload ? 'pool' : 'thread'}');`, `    const onCrashBuild = ${signature.name}On(crashModule);`],
  }[/** @type {'napi' | 'port' | 'wasm'} */ (kind)];
  const where = { napi: 'the addon serves on', port: 'the port serves on', wasm: 'the next call gets a fresh instance' }[/** @type {'napi' | 'port' | 'wasm'} */ (kind)];
  const checks = [
    `    expect(await refusal(() => onCrashBuild(...good))).toMatchObject({ code: '${code}' });`,
    `    expect(plain(await onCrashBuild(...good))).toEqual(plain(reference(...good)));`,
  ];
  const body = kind === 'wasm' ? ['    try {', ...checks.map((check) => `  ${check}`), '    } finally {', '      await crashModule.close();', '    }'] : checks;
  return [
    '',
    `  it('a panic in src/functions/${signature.rustName}.rs is ${code} (crash build), and ${where}', async () => {`,
    ...setUp,
    ...body,
    '  });',
  ];
}

/**
 * test/functions/<name>.test.ts.
 * @param {string} kind
 * @param {FunctionSignature} signature
 */
export function testSource(kind, signature) {
  const { name } = signature;
  const offload = signature.mode === 'offload';
  const hasPanicTest = kind in panicCodes;
  const types = new Set(signature.args.map((arg) => arg.type));
  const runtimeImports = offload ? ["import { sampleEventLoopBlocking } from '@interop-module/runtime/testing';"] : [];
  const testingImports = {
    napi: ["import { armPanic } from '../../lib/testing.js';"],
    port: ["import { armPanic, closeCrashTestPort } from '../../lib/testing.js';"],
    wasm: ["import { armPanic } from '../../lib/testing.js';"],
  }[/** @type {'napi' | 'port' | 'wasm'} */ (kind)] ?? [];
  const imports = [
    "import { createHash } from 'node:crypto';",
    ...runtimeImports,
    "import fc from 'fast-check';",
    "import { afterAll, describe, expect, it } from 'vitest';",
    "import { ARGUMENT_LIMITS } from '../../lib/arguments.js';",
    ...(hasPanicTest ? [`import { ${name}On } from '../../lib/functions/${name}.js';`] : []),
    `import { close, ${name} } from '../../lib/index.js';`,
    `import { ${name} as reference } from '../../lib/reference/index.js';`,
    ...testingImports,
    ...(types.has('bytes') && offload ? ["import { randomData } from '../random.js';"] : []),
  ];
  const params = signature.args.map((arg) => arg.name).join(', ');
  const call = offload ? `await ${name}(${params})` : `${name}(${params})`;
  const property = offload
    ? [
        '    await fc.assert(',
        `      fc.asyncProperty(${signature.args.map((arg) => arbitraries[arg.type]).join(', ')}, async (${params}) => {`,
        `        expect(plain(${call})).toEqual(plain(reference(${params})));`,
        '      }),',
        '      { numRuns },',
        '    );',
      ]
    : [
        '    fc.assert(',
        `      fc.property(${signature.args.map((arg) => arbitraries[arg.type]).join(', ')}, (${params}) => {`,
        `        expect(plain(${call})).toEqual(plain(reference(${params})));`,
        '      }),',
        '      { numRuns },',
        '    );',
      ];
  const badRows = signature.args.flatMap((arg, index) =>
    badValues[arg.type].map(([what, value]) => {
      const args = signature.args.map((other, at) => (at === index ? value : `good[${at}]`));
      return `    ['${arg.name}', '${what}', [${args.join(', ')}]],`;
    }),
  );
  if (offload) badRows.push(`    ['options.timeoutMs', '-1', [...good, { timeoutMs: -1 }]],`);
  const offloadTests = offload
    ? [
        '',
        "  it('rejects with ERR_ABORTED when its signal aborts, before or during the call, and the next call answers', async () => {",
        '    const aborted = new AbortController();',
        '    aborted.abort();',
        `    await expect(${name}(...good, { signal: aborted.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });`,
        '    const controller = new AbortController();',
        `    const running = ${name}(...large, { signal: controller.signal });`,
        '    controller.abort();',
        "    await expect(running).rejects.toMatchObject({ code: 'ERR_ABORTED' });",
        `    expect(plain(await ${name}(...good))).toEqual(plain(reference(...good)));`,
        '  });',
        '',
        "  it('rejects with ERR_TIMEOUT when timeoutMs passes before its answer, and the next call answers', async () => {",
        '    // Started from a setImmediate callback, whose phase the answer cannot arrive in; then the thread',
        '    // is held past the due timer, which the event loop runs before it reads the answer.',
        '    await new Promise((resolve) => setImmediate(resolve));',
        `    const running = ${name}(...good, { timeoutMs: 1 });`,
        '    holdThread(20);',
        "    await expect(running).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });",
        `    expect(plain(await ${name}(...good, { timeoutMs: 60_000 }))).toEqual(plain(reference(...good)));`,
        '  });',
        '',
        `  it(\`four calls on large arguments keep the longest stretch on the event loop within \${budgetMs} ms\`, async () => {`,
        '    // Warmed up on the same calls: their path uncompiled cost a port 3–4× more of this thread.',
        `    const sampled = await sampleEventLoopBlocking(() => Promise.all([1, 2, 3, 4].map(() => ${name}(...large))), { warmupRuns: 50, warmupMs: 5000 });`,
        `    console.log(\`longest block while 4 × ${name} run: \${sampled.summary}\`);`,
        '    expect(sampled.medianMs).toBeLessThanOrEqual(budgetMs);',
        '    // And right: a large argument takes another path to the native side (or the worker) than a small one.',
        `    expect(plain(await ${name}(...large))).toEqual(plain(reference(...large)));`,
        '  });',
        // Not pure's yet: its workers copy a job's bytes when the job starts, and copying all of them at
        // the call put four 1 MiB calls' copies in one stretch of the event loop (over its budget).
        ...(types.has('bytes') && kind !== 'pure' ? takesBytesTest(signature) : []),
      ]
    : [];
  const constants = [
    '/** Runs of the property; raise them with FC_NUM_RUNS=100000 npm test. */',
    'const numRuns = Number(process.env.FC_NUM_RUNS ?? 10_000);',
    '',
    `const good = [${argumentList(signature, goodValues)}] as const;`,
    ...(offload
      ? [
          ...(types.has('bytes')
            ? kind !== 'napi' && signature.args.length > 1
              ? [
                  '// 1 MiB: beside other arguments, larger bytes are copied for the backend a slice per event-loop turn',
                  "// (packed into one body, or shared with a worker), work this thread does; alone they can be 16 MiB.",
                  'const largeBytes = randomData(1024 * 1024);',
                ]
              : ['const largeBytes = randomData(16 * 1024 * 1024);']
            : []),
          ...(types.has('string') ? ["const largeString = 'x'.repeat(ARGUMENT_LIMITS.maxStringBytes / 16);"] : []),
          `const large = [${argumentList(signature, largeValues)}] as const;`,
          '',
          '/** As the event-loop test of the contract: the longest stretch a call may put on this thread, in CPU time. */',
          'const budgetMs = 2.5;',
          '',
          '/** Keeps this thread busy for `ms`, so nothing else runs on its event loop meanwhile. */',
          'function holdThread(ms: number): void {',
          '  const until = performance.now() + ms;',
          '  while (performance.now() < until);',
          '}',
        ]
      : []),
    '',
    '/**',
    ' * A result as the reference gives it: bytes as a plain Uint8Array (a Buffer compares unequal), and from',
    ' * 64 KiB on as their length and SHA-256: toEqual walks a typed array key by key, and on 16 MiB results',
    ' * it ran the test process out of heap.',
    ' */',
    'const plain = (value: unknown) => {',
    '  if (!(value instanceof Uint8Array)) return value;',
    "  if (value.byteLength < 64 * 1024) return new Uint8Array(value);",
    "  return { bytes: value.byteLength, sha256: createHash('sha256').update(value).digest('hex') };",
    '};',
    '',
    '/** The error a call threw or rejected with. */',
    'async function refusal(call: () => unknown): Promise<unknown> {',
    '  try {',
    '    await call();',
    '  } catch (error) {',
    '    return error;',
    '  }',
    "  throw new Error('the call was accepted');",
    '}',
  ];
  const closes = kind === 'port' ? ['afterAll(async () => {', '  await close();', '  await closeCrashTestPort();', '});'] : ['afterAll(() => close());'];
  return `/**
 * Tests of \`${describeSignature(signature)}\`, written by \`create-interop-module add\`. Keep them when
 * you replace its body: they hold ${kind === 'pure' ? 'the export' : 'the backend'} equal to lib/reference/${name}.ts.
 */
${imports.join('\n')}

${constants.join('\n')}

${closes.join('\n')}

describe('${name} (added with create-interop-module add)', () => {
  it('equals its reference on any arguments', async () => {
${property.join('\n')}
  });

  it.each([
${badRows.join('\n')}
  ] as const)('refuses %s given %s with ERR_INVALID_ARG naming it', async (argument, _given, args) => {
    const error = await refusal(() => (${name} as unknown as (...args: readonly unknown[]) => unknown)(...args));
    expect(error).toMatchObject({ name: 'InteropError', code: 'ERR_INVALID_ARG', message: expect.stringContaining(argument) });
  });
${[...offloadTests, ...panicTest(kind, signature)].join('\n')}
});
`;
}

/**
 * bench/functions/<name>.mjs, which bench/functions.mjs times: at 0 B and 64 KiB, the export beside
 * its reference, and for napi beside the raw binding (what the wrapper costs).
 * @param {string} kind
 * @param {FunctionSignature} signature
 */
export function benchSource(kind, signature) {
  const { name } = signature;
  const offload = signature.mode === 'offload';
  const usesRandom = signature.args.some((arg) => arg.type === 'bytes');
  const sized = (/** @type {0 | 1} */ index) => signature.args.map((arg) => benchValues[arg.type][index]).join(', ');
  const binding = (/** @type {string} */ args) =>
    kind === 'napi' ? `, binding: () => native.${name}(...${args}${offload ? ', new native.CancelToken()' : ''})` : '';
  return `// \`${describeSignature(signature)}\`, written by \`create-interop-module add\`: what \`npm run bench\`
// (bench/functions.mjs) times${kind === 'napi' ? ', also on the raw binding, which shows what the wrapper costs' : ''}.
${[
  ...(usesRandom ? ["import { randomBytes } from 'node:crypto';"] : []),
  `import { ${name} } from '../../dist/index.js';`,
  `import { ${name} as reference } from '../../dist/reference/index.js';`,
  // The raw binding, as lib/addon.ts loaded (and checked) it.
  ...(kind === 'napi' ? ["import { native } from '../../dist/addon.js';"] : []),
].join('\n')}

const empty = [${sized(0)}];
const large = [${sized(1)}];

export default {
  name: '${name}',
  cases: [
    { label: '0 B', backend: () => ${name}(...empty), reference: () => reference(...empty)${binding('empty')} },
    { label: '64 KiB', backend: () => ${name}(...large), reference: () => reference(...large)${binding('large')} },
  ],
};
`;
}
