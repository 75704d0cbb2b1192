/**
 * The TypeScript `add` writes for a function, by kind: its wrapper (lib/functions/<name>.ts: argument
 * checks from the signature, then the call to the backend with the package's CallOptions when
 * offloaded) and its block in lib/index.ts, which exports it. The Rust kinds' wrappers are factories
 * over the handle lib/index.ts owns (the addon, the port, the wasm module), so the panic tests can run
 * the same wrapper on a crash-tests build.
 */
import { typeScriptTypes } from './example-body.js';
import { describeSignature } from './signature.js';

/** @typedef {import('./signature.js').FunctionSignature} FunctionSignature */
/** @typedef {import('./signature.js').Argument} Argument */

const checks = { bytes: 'checkBytes', string: 'checkString', u32: 'checkU32', f64: 'checkF64', bool: 'checkBool' };

/** @param {FunctionSignature} signature */
const parameters = (signature) => signature.args.map((arg) => `${arg.name}: ${typeScriptTypes[arg.type]}`);

/** @param {FunctionSignature} signature */
function returned(signature) {
  const type = typeScriptTypes[signature.returns];
  return signature.mode === 'offload' ? `Promise<${type}>` : type;
}

/** The function's type: `(data: Uint8Array, options?: CallOptions) => Promise<number>`. @param {FunctionSignature} signature */
function functionType(signature) {
  const params = [...parameters(signature), ...(signature.mode === 'offload' ? ['options?: CallOptions'] : [])];
  return `(${params.join(', ')}) => ${returned(signature)}`;
}

/** @param {FunctionSignature} signature */
const argumentNames = (signature) => signature.args.map((arg) => arg.name).join(', ');

/** Each argument checked, and replaced by the checked value. @param {FunctionSignature} signature @param {string} indent */
const checkLines = (signature, indent) => signature.args.map((arg) => `${indent}${arg.name} = ${checks[arg.type]}('${arg.name}', ${arg.name});`);

/** @param {FunctionSignature} signature */
function checkImport(signature) {
  const used = [...new Set(signature.args.map((arg) => checks[arg.type]))].sort();
  return `import { ${used.join(', ')} } from '../arguments.js';`;
}

/** The arguments as packed fields (lib/packed-arguments.ts), and the helpers that takes. @param {FunctionSignature} signature */
function packedFields(signature) {
  const last = signature.args.length - 1;
  /** @type {Set<string>} */
  const helpers = new Set();
  const fields = signature.args.map((arg, index) => {
    const field = { bytes: arg.name, string: `stringField(${arg.name})`, u32: `u32Field(${arg.name})`, f64: `f64Field(${arg.name})`, bool: `boolField(${arg.name})` }[arg.type];
    const helper = /^(\w+)\(/.exec(field)?.[1];
    if (helper !== undefined) helpers.add(helper);
    const sized = index !== last && (arg.type === 'bytes' || arg.type === 'string');
    if (sized) helpers.add('sized');
    return sized ? `...sized(${field})` : field;
  });
  return { list: `[${fields.join(', ')}]`, helpers };
}

/** How a packed reply becomes the result. @param {FunctionSignature} signature */
function unpacking(signature) {
  return { bytes: undefined, string: 'unpackString', u32: 'unpackU32', f64: 'unpackF64', bool: 'unpackBool', void: undefined }[signature.returns];
}

/** @param {FunctionSignature} signature @param {string} how */
function header(signature, how) {
  return `/**
 * \`${describeSignature(signature)}\`, added with \`create-interop-module add\`: checks its arguments, then
 * ${how}
 */`;
}

/** @param {string[]} lines */
const sortedImports = (lines) => [...new Set(lines)].sort((a, b) => importOrder(a) - importOrder(b) || a.localeCompare(b)).join('\n');
/** Packages before files of this package. @param {string} line */
const importOrder = (line) => (line.includes("from '.") ? 1 : 0);

/** @type {Record<string, (signature: FunctionSignature) => string>} */
export const wrapperSources = {
  napi(signature) {
    const offload = signature.mode === 'offload';
    const runtime = offload ? ['toInteropError', 'withCallOptions', 'type CallOptions'] : ['toInteropError'];
    const binding = offload ? `'${signature.name}' | 'CancelToken'` : `'${signature.name}'`;
    const body = offload
      ? [
          ...checkLines(signature, '    '),
          '    // Without a signal or a timeout nothing can cancel the call, so it skips their plumbing (an',
          '    // AbortSignal and its listener cost more than the call itself on small input); errors are typed alike.',
          '    if (options === undefined) {',
          `      return native.${signature.name}(${[...signature.args.map((arg) => arg.name), 'new native.CancelToken()'].join(', ')}).catch((error: unknown) => {`,
          '        throw toInteropError(error);',
          '      });',
          '    }',
          '    return withCallOptions(options, (cancel) => {',
          '      const token = new native.CancelToken();',
          "      cancel.addEventListener('abort', () => token.cancel(), { once: true });",
          `      return native.${signature.name}(${[...signature.args.map((arg) => arg.name), 'token'].join(', ')});`,
          '    });',
        ]
      : [...checkLines(signature, '    '), '    try {', `      return native.${signature.name}(${argumentNames(signature)});`, '    } catch (error) {', '      throw toInteropError(error);', '    }'];
    return `${header(signature, offload ? `runs src/functions/${signature.rustName}.rs on a libuv pool thread; abort and timeout also stop it there.` : `runs src/functions/${signature.rustName}.rs on the calling thread.`)}
${sortedImports([`import { ${runtime.join(', ')} } from '@interop-module/runtime';`, checkImport(signature)])}

type Binding = Pick<typeof import('../../index.cjs'), ${binding}>;

export function ${signature.name}On(native: Binding): ${functionType(signature)} {
  return ${offload ? 'async ' : ''}(${[argumentNames(signature), ...(offload ? ['options'] : [])].join(', ')}) => {
${body.join('\n')}
  };
}
`;
  },

  port(signature) {
    const fields = packedFields(signature);
    const unpack = unpacking(signature);
    const call = `port().call('${signature.name}', body, { signal: cancel })`;
    const helpers = [...fields.helpers, 'packFields', ...(unpack === undefined ? [] : [unpack])].sort();
    const result = unpack !== undefined ? `      return ${unpack}(await ${call});` : signature.returns === 'bytes' ? `      return ${call};` : `      await ${call};`;
    return `${header(signature, `sends them packed (lib/packed-arguments.ts) to src/functions/${signature.rustName}.rs in the port; abort and timeout also\n * cancel it there.`)}
${sortedImports([
  "import { withCallOptions, type CallOptions } from '@interop-module/runtime';",
  "import type { Port } from '@interop-module/runtime/port';",
  checkImport(signature),
  `import { ${helpers.join(', ')} } from '../packed-arguments.js';`,
])}

export function ${signature.name}On(port: () => Port): ${functionType(signature)} {
  return async (${argumentNames(signature)}, options) => {
${checkLines(signature, '    ').join('\n')}
    return withCallOptions(options, async (cancel) => {
      const body = await packFields(${fields.list}, cancel);
${result}
    });
  };
}
`;
  },

  wasm(signature) {
    const fields = packedFields(signature);
    const offload = signature.mode === 'offload';
    const type = typeScriptTypes[signature.returns];
    const helpers = [...fields.helpers, offload ? 'packFields' : 'packFieldsSync'].sort();
    const imports = [
      checkImport(signature),
      `import { ${helpers.join(', ')} } from '../packed-arguments.js';`,
      "import type { WasmModule } from '../module.js';",
      ...(offload ? ["import { withCallOptions, type CallOptions } from '@interop-module/runtime/wasm';"] : ["import { operations } from '../abi.js';"]),
    ];
    const body = offload
      ? [
          '    return withCallOptions(options, async (cancel) => {',
          `      const body = await packFields(${fields.list}, cancel);`,
          `      ${signature.returns === 'void' ? 'await' : 'return (await'} module.offloadOnInput('${signature.name}', body, { signal: cancel })${signature.returns === 'void' ? ';' : `) as ${type};`}`,
          '    });',
        ]
      : [`    return operations.${signature.name}(module.runner, packFieldsSync(${fields.list}));`];
    return `${header(signature, offload ? `runs src/functions/${signature.rustName}.rs on a pool worker (lib/abi.ts), its arguments packed into one input;\n * abort and timeout end that worker.` : `runs src/functions/${signature.rustName}.rs on this thread's instance (lib/abi.ts), its arguments packed into one input.`)}
${sortedImports(imports)}

export function ${signature.name}On(module: WasmModule): ${functionType(signature)} {
  return ${offload ? 'async ' : ''}(${[argumentNames(signature), ...(offload ? ['options'] : [])].join(', ')}) => {
${checkLines(signature, '    ').join('\n')}
${body.join('\n')}
  };
}
`;
  },

  pure(signature) {
    const offload = signature.mode === 'offload';
    const type = typeScriptTypes[signature.returns];
    const params = [...parameters(signature), ...(offload ? ['options?: CallOptions'] : [])].join(', ');
    const imports = offload
      ? ["import type { CallOptions } from '@interop-module/runtime';", checkImport(signature), "import { runOffloaded } from '../function-workers.js';"]
      : [checkImport(signature), `import { ${signature.name} as reference } from '../reference/${signature.name}.js';`];
    const call = offload
      ? signature.returns === 'void'
        ? `  await runOffloaded('${signature.name}', [${argumentNames(signature)}], options);`
        : `  return (await runOffloaded('${signature.name}', [${argumentNames(signature)}], options)) as ${type};`
      : `  return reference(${argumentNames(signature)});`;
    return `${header(signature, offload ? `runs lib/reference/${signature.name}.ts on a worker thread (lib/function-workers.ts), so it never holds the event loop.` : `runs lib/reference/${signature.name}.ts on the calling thread.`)}
${sortedImports(imports)}

export ${offload ? 'async ' : ''}function ${signature.name}(${params}): ${returned(signature)} {
${checkLines(signature, '  ').join('\n')}
${call}
}
`;
  },
};

/** What lib/index.ts hands each kind's wrapper factory. */
const handles = { napi: 'native', port: 'currentPort', wasm: 'defaultModule' };

/**
 * The function's block in lib/index.ts.
 * @param {string} kind
 * @param {FunctionSignature} signature
 */
export function indexBlock(kind, signature) {
  const line = `// ${describeSignature(signature)}`;
  if (kind === 'pure') return `${line}\nexport { ${signature.name} } from './functions/${signature.name}.js';`;
  const handle = handles[/** @type {keyof typeof handles} */ (kind)];
  return `${line}
import { ${signature.name}On } from './functions/${signature.name}.js';
/** \`${describeSignature(signature)}\`: lib/functions/${signature.name}.ts. */
export const ${signature.name} = ${signature.name}On(${handle});`;
}

/**
 * The function's block in lib/reference/index.ts.
 * @param {FunctionSignature} signature
 */
export function referenceIndexBlock(signature) {
  return `// ${describeSignature(signature)}\nexport { ${signature.name} } from './${signature.name}.js';`;
}
