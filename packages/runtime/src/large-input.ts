/**
 * How a call takes its input bytes without holding the event loop.
 *
 * Up to `LIMITS.copiedAtCallBytes` (1 MiB), a call copies its input before it returns: the caller may
 * reuse its buffer at once, and the copy costs at most about a millisecond. A larger input cannot be
 * copied in one step without blocking the loop (64 MiB into fresh memory measured 50–60 ms here), so
 * it is read while the call runs, a slice per event-loop turn: the caller must not change it until the
 * call settles, as with `fs.write` or `stream.write`. Browser-safe: no Node imports.
 */
import { LIMITS } from './contract-args.js';
import { InteropError } from './errors.js';

/** Bytes handled per event-loop turn: a fraction of a millisecond, page faults included. */
export const sliceBytes = 256 * 1024;

/** Whether a call takes `bytes` as they are when it is made (a copy), rather than reading them as it runs. */
export function isCopiedAtCall(bytes: Uint8Array): boolean {
  return bytes.byteLength <= LIMITS.copiedAtCallBytes;
}

function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  // Browsers stretch nested setTimeout(0) to 4 ms (a 64 MiB input would wait a second more) and to a second
  // in background tabs; a message is a task of its own without that clamp.
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}

/**
 * When `turnIfHeld` last gave the loop a turn. Calls chained by promises never leave the microtask queue
 * (a stream of small updates on an in-thread hasher, each awaited), so without a turn now and then they
 * hold the loop for as long as the chain runs: 76–260 ms for 64 MiB in 64 KiB updates, measured.
 */
let lastTurnAt = Number.NEGATIVE_INFINITY;

/** Work on this thread longer than this since the last turn, and `turnIfHeld` waits for one. */
const heldLoopMs = 0.5;

/**
 * A turn of the event loop if work run since the last such turn may have held it for over half a
 * millisecond; otherwise undefined, so the caller spends not even a microtask. For work done on this
 * thread call after call (an in-thread backend's resource), before each call's work.
 */
export function turnIfHeld(): Promise<void> | undefined {
  if (performance.now() - lastTurnAt <= heldLoopMs) return undefined;
  return nextTurn().then(() => {
    lastTurnAt = performance.now();
  });
}

/**
 * Calls `visit` on consecutive slices of `bytes`, the first one at once and each later one on a later
 * event-loop turn. Returns false, having stopped early, once `cancel` has fired. Rejects with
 * ERR_INVALID_ARG if `bytes` loses its contents meanwhile (its buffer detached by a transfer).
 */
export async function forEachSlice(
  bytes: Uint8Array,
  cancel: AbortSignal,
  visit: (slice: Uint8Array, offset: number) => void,
  bytesPerSlice = sliceBytes,
): Promise<boolean> {
  const length = bytes.byteLength;
  for (let offset = 0; offset < length; offset += bytesPerSlice) {
    if (offset > 0) await nextTurn();
    if (cancel.aborted) return false;
    if (bytes.byteLength !== length) {
      throw new InteropError(
        'ERR_INVALID_ARG',
        `an input of ${length} bytes was detached (transferred) while the call read it; keep it unchanged until the call settles`,
      );
    }
    visit(bytes.subarray(offset, offset + bytesPerSlice), offset);
  }
  return !cancel.aborted;
}
