// One line per kind for --help and the kind question: what it is for, and what it costs (the
// decision matrix in the repository README has the numbers). A kind added to templates/ without a
// line here is still offered, just without a hint.
const hints: Readonly<Record<string, string>> = {
  napi: 'in-process Rust addon: fastest; a crash ends the process; Rust + cc',
  port: 'Rust child process: a crash restarts it; calls cross a pipe; Rust + cc',
  pure: 'plain TypeScript: nothing to compile; the baseline to measure against',
  wasm: 'sandboxed WebAssembly (Node, browsers): a trap is contained; slowest; Rust + wasm32',
};

export function kindHint(kind: string): string | undefined {
  return Object.hasOwn(hints, kind) ? hints[kind] : undefined;
}
