/// <reference lib="dom" />
/** True in Node (and its worker threads); false in browsers and their workers. */
export const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

declare global {
  // The one WebAssembly type these declarations name, for consumers whose `lib` has no DOM (a Node
  // project on @tsconfig/node20, say): the emitted .d.ts keeps no `reference lib`, so without this
  // their compiler cannot find the namespace. It merges with the DOM lib's (also empty) interface.
  namespace WebAssembly {
    interface Module {}
  }
}

/** A compiled module and its bytes (the host reads the memory import's minimum from them). */
export interface LoadedModule {
  module: WebAssembly.Module;
  bytes: Uint8Array;
}

/**
 * Compiles the module at `url`: from disk for file: URLs in Node; in browsers with
 * `compileStreaming`, which compiles while the bytes arrive (served as application/wasm).
 */
export async function compileModule(url: URL): Promise<LoadedModule> {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const bytes = new Uint8Array(await readFile(url));
    return { module: await WebAssembly.compile(bytes), bytes };
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.href} failed with HTTP ${response.status}`);
  const [module, buffer] = await Promise.all([WebAssembly.compileStreaming(response.clone()), response.arrayBuffer()]);
  return { module, bytes: new Uint8Array(buffer) };
}

/** Workers besides the caller's thread: one core stays free for the event loop. */
export async function defaultPoolSize(): Promise<number> {
  const cores = isNode
    ? (await import('node:os')).availableParallelism()
    : (globalThis.navigator?.hardwareConcurrency ?? 2);
  return Math.max(1, cores - 1);
}
