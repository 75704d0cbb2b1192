/**
 * The Rust and glue `add` writes around a function's body (src/functions/<name>.rs), by kind: its napi
 * export, its port handler, or its wasm export and the lib/abi.ts operation that calls it. Each is one
 * block in a marked region (markers.js) whose first line describes the function (describeSignature).
 * Paths are written in full (`interop_module::…`), so a module with no function yet imports nothing.
 */
import { describeSignature } from './signature.js';

/** @typedef {import('./signature.js').FunctionSignature} FunctionSignature */
/** @typedef {import('./signature.js').Argument} Argument */

/**
 * A function's first line as rustfmt writes it: on one line up to 100 characters, else a parameter a line.
 * @param {string} head @param {string[]} params @param {string} tail
 */
function rustSignature(head, params, tail) {
  const oneLine = `${head}(${params.join(', ')})${tail}`;
  return oneLine.length <= 100 ? [oneLine] : [`${head}(`, ...params.map((param) => `    ${param},`), `)${tail}`];
}

/**
 * A call as rustfmt writes it: its arguments on one line while they take at most 60 characters
 * (fn_call_width) and the line at most 100, else an argument a line.
 * @param {string} indent @param {string} head what precedes the arguments, `let x = f` @param {string[]} args @param {string} tail
 */
function rustCall(indent, head, args, tail) {
  const joined = args.join(', ');
  const oneLine = `${indent}${head}(${joined})${tail}`;
  if (joined.length <= 60 && oneLine.length <= 100) return [oneLine];
  return [`${indent}${head}(`, ...args.map((arg) => `${indent}    ${arg},`), `${indent})${tail}`];
}

/** @param {FunctionSignature} signature */
const line = (signature) => `// ${describeSignature(signature)}`;

/** The crash-tests hook every added function calls first (interop_module::crash). @param {FunctionSignature} signature @param {string} indent */
const panicHook = (signature, indent) => [
  `${indent}#[cfg(feature = "crash-tests")]`,
  ...rustCall(indent, 'interop_module::crash::panic_if_armed', [`"${signature.name}"`], ';'),
];

/** How a body's argument is passed from a variable holding it. @param {Argument} arg */
const passed = (arg) => (arg.type === 'bytes' || arg.type === 'string' ? `&${arg.rustName}` : arg.rustName);

/**
 * The body called with each argument from its variable, and `cancel`.
 * @param {FunctionSignature} signature @param {string} cancel @param {string} indent @param {string} prefix @param {string} suffix
 */
const bodyCall = (signature, cancel, indent, prefix, suffix) =>
  rustCall(indent, `${prefix}${signature.rustName}::${signature.rustName}`, [...signature.args.map(passed), cancel], suffix);

/** Each packed field read into its variable (interop_module::packed::Fields), then `finish`. @param {FunctionSignature} signature @param {string} indent */
function fieldReads(signature, indent) {
  const last = signature.args.length - 1;
  const reads = signature.args.map((arg, index) => {
    const read = {
      bytes: index === last ? 'fields.rest_bytes()' : 'fields.bytes()?',
      string: index === last ? 'fields.rest_str()?' : 'fields.str()?',
      u32: 'fields.u32()?',
      f64: 'fields.f64()?',
      bool: 'fields.bool()?',
    }[arg.type];
    return `${indent}let ${arg.rustName} = ${read};`;
  });
  return [`${indent}let mut fields = interop_module::packed::Fields::new(body);`, ...reads, `${indent}fields.finish()?;`];
}

/**
 * The body called on the fields read (`&[u8]`, `&str` already), and `cancel`.
 * @param {FunctionSignature} signature @param {string} cancel @param {string} indent @param {string} prefix @param {string} suffix
 */
const bodyCallOnFields = (signature, cancel, indent, prefix, suffix) =>
  rustCall(indent, `${prefix}${signature.rustName}::${signature.rustName}`, [...signature.args.map((arg) => arg.rustName), cancel], suffix);

const napiTypes = { bytes: 'napi::bindgen_prelude::Uint8Array', string: 'String', u32: 'u32', f64: 'f64', bool: 'bool' };
const napiResults = { bytes: 'interop_module::napi::Bytes', string: 'String', u32: 'u32', f64: 'f64', bool: 'bool', void: '()' };
const typeScriptResults = { bytes: 'Uint8Array', string: 'string', u32: 'number', f64: 'number', bool: 'boolean', void: 'void' };

/**
 * `#[napi_derive::napi(…)]` as rustfmt writes it: an argument a line once they take more than 70
 * characters (attr_fn_like_width).
 * @param {string[]} args
 */
function napiAttribute(args) {
  const joined = args.join(', ');
  return joined.length <= 70 ? [`#[napi_derive::napi(${joined})]`] : ['#[napi_derive::napi(', ...args.map((arg, at) => `    ${arg}${at < args.length - 1 ? ',' : ''}`), ')]'];
}

/**
 * `let <name> = interop_module::napi::Input::from(<name>);` as rustfmt writes it: past 100 characters
 * the call goes on the next line, and its argument on one of its own past that.
 * @param {string} name
 */
function takenInput(name) {
  const call = 'interop_module::napi::Input::from';
  const oneLine = `    let ${name} = ${call}(${name});`;
  return oneLine.length <= 100 ? [oneLine] : [`    let ${name} =`, ...rustCall('        ', call, [name], ';')];
}

/**
 * The napi export in src/functions/mod.rs: offloaded, a cancellable task on libuv's pool (the
 * CancelToken lib.rs defines); sync, on the calling thread. Both under the panic guard.
 * @param {FunctionSignature} signature
 */
export function napiBlock(signature) {
  const offload = signature.mode === 'offload';
  const params = [...signature.args.map((arg) => `${arg.rustName}: ${napiTypes[arg.type]}`), ...(offload ? ['cancel_token: &crate::CancelToken'] : [])];
  const result = napiResults[signature.returns];
  const tsResult = typeScriptResults[signature.returns];
  const cancel = offload ? '&cancel' : '&interop_module::CancelFlag::new()';
  const converted =
    signature.returns === 'bytes'
      ? [...bodyCall(signature, cancel, '        ', 'let result = ', '?;'), '        Ok(interop_module::napi::Bytes::from(result))']
      : bodyCall(signature, cancel, '        ', '', '');
  const returnType = offload ? `napi::bindgen_prelude::AsyncTask<interop_module::napi::Offload<${result}>>` : `napi::Result<${result}>`;
  // The pool thread reads bytes after the export returns: Input copies them now, up to 1 MiB.
  const taken = signature.args.filter((arg) => arg.type === 'bytes').flatMap((arg) => takenInput(arg.rustName));
  const body = offload
    ? [...taken, '    let cancel = cancel_token.flag();', '    interop_module::napi::offload(move || {', ...panicHook(signature, '        '), ...converted, '    })']
    : ['    interop_module::napi::sync(|| {', ...panicHook(signature, '        '), ...converted, '    })'];
  return [
    line(signature),
    `mod ${signature.rustName};`,
    '',
    offload
      ? `/// On libuv's pool under the panic guard; \`cancel_token.cancel()\` (abort, timeout) stops it at its next checkpoint.`
      : '/// On the calling thread under the panic guard.',
    ...napiAttribute([`js_name = "${signature.name}"`, `ts_return_type = "${offload ? `Promise<${tsResult}>` : tsResult}"`]),
    ...(params.length > 7 ? ['#[allow(clippy::too_many_arguments)]'] : []),
    ...rustSignature(`pub fn ${signature.rustName}`, params, ` -> ${returnType} {`),
    ...body,
    '}',
  ].join('\n');
}

/** The result as the bytes of a reply or a wasm result (lib/packed-arguments.ts unpacks them). */
const packedResults = {
  bytes: 'result',
  string: 'result.into_bytes()',
  u32: 'result.to_be_bytes().to_vec()',
  f64: 'result.to_bits().to_be_bytes().to_vec()',
  bool: 'vec![u8::from(result)]',
  void: 'Vec::new()',
};

/**
 * The port's handler in src/functions/mod.rs, and its line in `register`.
 * @param {FunctionSignature} signature
 * @returns {{ handler: string, registration: string }}
 */
export function portBlocks(signature) {
  const handlerName = `handle_${signature.rustName}`;
  const reply =
    signature.returns === 'void'
      ? [...bodyCallOnFields(signature, 'cancel', '    ', '', '?;'), '    Ok(Vec::new())']
      : [...bodyCallOnFields(signature, 'cancel', '    ', 'let result = ', '?;'), `    Ok(${packedResults[signature.returns]})`];
  return {
    registration: [
      line(signature),
      // Laid out at the region's indentation (inside `register`), which appendBlock adds back.
      ...rustCall('    ', 'let port = port.handle', [`"${signature.name}"`, 'interop_module::port::Lane::Slow', handlerName], ';').map((text) => text.slice(4)),
    ].join('\n'),
    handler: [
      line(signature),
      `mod ${signature.rustName};`,
      '',
      `/// The port's \`${signature.name}\` method: the arguments lib/functions/${signature.name}.ts packed, read in order; the`,
      '/// result packed into the reply. A panic becomes an ERR_NATIVE_PANIC reply (the port\'s guard).',
      ...rustSignature(`fn ${handlerName}`, ['body: &[u8]', 'cancel: &interop_module::CancelFlag'], ' -> Result<Vec<u8>, interop_module::Error> {'),
      ...panicHook(signature, '    '),
      ...fieldReads(signature, '    '),
      ...reply,
      '}',
    ].join('\n'),
  };
}

/** What a wasm export returns, by the function's result: a number, or nothing (a result left with write_result). */
const wasmReturns = { bytes: undefined, string: undefined, u32: 'u32', f64: 'f64', bool: 'u32', void: undefined };

/** The wasm export's symbol. @param {FunctionSignature} signature */
export const wasmExportName = (signature) => `interop_fn_${signature.rustName}`;

/**
 * The wasm export in src/functions/mod.rs: reads the packed input, runs the body, and returns a
 * number or leaves bytes with write_result. An error panics, so the call traps (ERR_WASM_TRAP).
 * @param {FunctionSignature} signature
 */
export function wasmBlock(signature) {
  const returns = wasmReturns[signature.returns];
  const resultType = { bytes: 'Vec<u8>', string: 'String', u32: 'u32', f64: 'f64', bool: 'bool', void: '()' }[signature.returns];
  const finish = {
    bytes: ['    interop_module::wasm::write_result(result);'],
    string: ['    interop_module::wasm::write_result(result.into_bytes());'],
    u32: ['    result'],
    f64: ['    result'],
    bool: ['    u32::from(result)'],
    void: [],
  }[signature.returns];
  return [
    line(signature),
    `mod ${signature.rustName};`,
    '',
    '/// # Safety',
    '/// `ptr`/`len` as for `interop_module::wasm::input`: the arguments lib/abi.ts packed into one input.',
    '#[no_mangle]',
    ...rustSignature(`pub unsafe extern "C" fn ${wasmExportName(signature)}`, ['ptr: *const u8', 'len: usize'], `${returns === undefined ? '' : ` -> ${returns}`} {`),
    ...panicHook(signature, '    '),
    '    let body = interop_module::wasm::input(ptr, len);',
    `    let run = || -> Result<${resultType}, interop_module::Error> {`,
    ...fieldReads(signature, '        '),
    // The host ends a call by terminating its worker: nothing cancels from inside.
    ...bodyCallOnFields(signature, '&interop_module::CancelFlag::new()', '        ', '', ''),
    '    };',
    signature.returns === 'void' ? '    run().unwrap_or_else(|error| panic!("{error}"));' : '    let result = run().unwrap_or_else(|error| panic!("{error}"));',
    ...finish,
    '}',
  ].join('\n');
}

/**
 * The function's operation in lib/abi.ts, which runs its export on a runner (in-thread or a pool
 * worker's) through `runAdded`.
 * @param {FunctionSignature} signature
 */
export function abiBlock(signature) {
  const read = {
    bytes: ['Uint8Array', '(_, result) => result()'],
    string: ['string', '(_, result) => fromUtf8.decode(result())'],
    u32: ['number', '(returned) => returned >>> 0'],
    f64: ['number', '(returned) => returned'],
    bool: ['boolean', '(returned) => returned === 1'],
    void: ['void', '() => undefined'],
  }[signature.returns];
  return [
    line(signature),
    `${signature.name}(runner: WasmRunner, input: Uint8Array): ${read[0]} {`,
    `  return runAdded(runner, '${wasmExportName(signature)}', input, ${read[1]});`,
    '},',
  ].join('\n');
}
