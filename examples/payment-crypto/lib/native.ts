/**
 * Loads the napi-rs addon built from src/lib.rs. Every other module reaches Rust through `native`.
 */
import { createRequire } from 'node:module';
import { InteropError } from '@interop-module/runtime';

type NativeBinding = typeof import('../index.cjs');

/**
 * `napi build` writes the loader index.cjs next to package.json; it picks the local .node file or the
 * installed per-platform package. It is CommonJS and loaded synchronously here, so this module needs
 * no top-level await (which would stop CommonJS callers from require()-ing it) and a missing binary
 * becomes a typed error instead of napi's bare one.
 */
function loadNativeBinding(): NativeBinding {
  try {
    return createRequire(import.meta.url)('../index.cjs') as NativeBinding;
  } catch (error) {
    throw new InteropError(
      'ERR_INTERNAL',
      `the native addon for ${process.platform}-${process.arch} could not be loaded; ` +
        'run `npm run build` or install the matching platform package',
      { cause: error },
    );
  }
}

export const native = loadNativeBinding();
