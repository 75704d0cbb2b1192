/**
 * How the gateway supervises its port: the executable lib/executable.ts (the port template's) finds and
 * checks against integrity.json, with the journal's and the sandbox ledger's files as arguments.
 */
import { createPort, type Port, type RestartPolicy } from '@interop-module/runtime/port';
import { findExecutable } from './executable.js';

/** The port reads requests of up to 64 KiB; its replies are a few hundred bytes. */
const maxFrameBytes = 64 * 1024;
/**
 * C code cannot be stopped midway, so a cancel does not reach a call stuck in the SDK. A call still
 * unanswered this long after its caller gave up means the port is stuck: the supervisor recycles it.
 */
const stuckAfterCancelMs = 200;

/** A supervised port keeping its journal and the sandbox's ledger in these files; it starts with the first call. */
export function openPort(journalPath: string, sandboxLedgerPath: string, restart?: RestartPolicy): Port {
  return createPort({
    command: findExecutable('release'),
    args: ['--journal', journalPath, '--ledger', sandboxLedgerPath],
    maxFrameBytes,
    cancelGraceMs: stuckAfterCancelMs,
    restart,
  });
}
