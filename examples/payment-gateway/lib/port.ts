/**
 * Where the port executable lives and how the gateway supervises it.
 *
 * The build goes to dist/bin/<platform>-<arch>/, so `npm publish` would ship it inside dist/ and an
 * installed package finds it exactly where a local `npm run build` put it. The path is taken from the
 * package root, so it is the same whether this file runs from lib/ (tests) or dist/ (installed).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InteropError } from '@interop-module/runtime';
import { createPort, type Port, type RestartPolicy } from '@interop-module/runtime/port';

/** The port reads requests of up to 64 KiB; its replies are a few hundred bytes. */
const maxFrameBytes = 64 * 1024;
/**
 * C code cannot be stopped midway, so a cancel does not reach a call stuck in the SDK. A call still
 * unanswered this long after its caller gave up means the port is stuck: the supervisor recycles it.
 */
const stuckAfterCancelMs = 200;

export function executableFile(platform: string = process.platform, arch: string = process.arch): URL {
  return new URL(`../dist/bin/${platform}-${arch}/payment-gateway-port`, import.meta.url);
}

/** The executable's path, or ERR_PORT_UNAVAILABLE saying how to build it. */
function findExecutable(): string {
  const file = fileURLToPath(executableFile());
  if (!existsSync(file)) {
    throw new InteropError(
      'ERR_PORT_UNAVAILABLE',
      `there is no port executable for ${process.platform}-${process.arch} at ${file}; run \`npm run build\``,
    );
  }
  return file;
}

/** A supervised port keeping its journal and the sandbox's ledger in these files; it starts with the first call. */
export function openPort(journalPath: string, sandboxLedgerPath: string, restart?: RestartPolicy): Port {
  return createPort({
    command: findExecutable(),
    args: ['--journal', journalPath, '--ledger', sandboxLedgerPath],
    maxFrameBytes,
    cancelGraceMs: stuckAfterCancelMs,
    restart,
  });
}
