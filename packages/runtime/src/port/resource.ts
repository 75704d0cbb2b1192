/**
 * The parent's side of a resource type a port serves (the crate's `Port::resource`): state behind
 * handles in the child, reached by the calls `<name>.create`, `<name>.<operation>`, `<name>.free` and
 * `<name>.live`. A handle is the 12 bytes `create` answers (a number the child drew at random, then its
 * table's handle), sent at the start of every call on it. A handle of a child known to be gone is
 * ERR_RESOURCE_LOST here, without a round trip; one that reaches another child (it died just now) is
 * ERR_RESOURCE_LOST there, and a free of it is ignored there.
 */
import { LIMITS } from '../contract-args.js';
import { InteropError } from '../errors.js';
import { sliceBytes } from '../large-input.js';
import type { Port } from './supervisor.js';

/** A handle: the bytes the child gave, and the supervisor's number of that child (Port.childNumber). */
export interface PortHandle {
  readonly token: Uint8Array;
  readonly child: number | undefined;
}

export interface PortResource {
  create(): Promise<PortHandle>;
  /**
   * Runs `operation` on the state behind `handle`; `body` is copied behind the handle, so keep it small (see
   * `pieces`). ERR_RESOURCE_LOST at once, starting no port, for a handle whose child is gone.
   */
  call(handle: PortHandle, operation: string, body: Uint8Array, cancel?: AbortSignal): Promise<Uint8Array>;
  /**
   * Frees the state in the running child. Never starts a port, and never fails: a handle already freed,
   * or of a child that died or is closing, has nothing left to free (a child ignores one not its own).
   */
  free(handle: PortHandle): Promise<void>;
  /** How many of this type the running child holds (starting it if none runs). */
  live(): Promise<number>;
  /** Whether the child that made `handle` is gone (no port open, no child running, or another one). */
  isLost(handle: PortHandle): boolean;
}

/** How a resource reaches its package's port, read at each call: a package replaces its port after close(). */
export interface PortAccess {
  /** The port, started if need be. */
  current(): Port;
  /** The port if one is open, without starting one. */
  open(): Port | undefined;
}

export function portResource(ports: PortAccess, name: string): PortResource {
  const port = () => ports.current();
  const empty = new Uint8Array(0);
  let scratch: Uint8Array | undefined;
  const isLost = (handle: PortHandle) => handle.child === undefined || ports.open()?.childNumber !== handle.child;
  return {
    async create() {
      const current = port();
      const token = await current.call(`${name}.create`, empty);
      // Read as the reply lands: a child that died since is not running now (a restart waits for its backoff).
      return { token, child: current.childNumber };
    },
    call(handle, operation, body, cancel) {
      if (isLost(handle)) return Promise.reject(new InteropError('ERR_RESOURCE_LOST', `this ${name}'s state is gone with the port child that held it`));
      const { token } = handle;
      const length = token.byteLength + body.byteLength;
      // The port copies a body of up to LIMITS.copiedAtCallBytes before call() returns, so one scratch
      // buffer serves every such call: no garbage per call for the collector to stop the loop over.
      const request = length <= LIMITS.copiedAtCallBytes ? (scratch ??= new Uint8Array(LIMITS.copiedAtCallBytes)).subarray(0, length) : new Uint8Array(length);
      request.set(token);
      request.set(body, token.byteLength);
      return port().call(`${name}.${operation}`, request, cancel && { signal: cancel });
    },
    async free(handle) {
      if (isLost(handle)) return; // nothing left to free, and no port to start or restart for it
      await ports.open()?.call(`${name}.free`, handle.token).catch(() => {});
    },
    async live() {
      const reply = await port().call(`${name}.live`, empty);
      return new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(0);
    },
    isLost,
  };
}

/**
 * `data` in consecutive pieces of at most 256 KiB (large-input.ts's slice): what one resource call
 * carries, so the copy behind its handle costs the loop a fraction of a millisecond and no frame nears
 * the limit, whatever the input.
 */
export function* pieces(data: Uint8Array, bytes = sliceBytes): Generator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += bytes) yield data.subarray(offset, offset + bytes);
}
