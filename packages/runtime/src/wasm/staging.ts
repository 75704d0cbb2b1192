import { isNode } from './platform.js';

/** Bytes copied per turn of the event loop: a fraction of a millisecond, page faults included. */
const defaultSliceBytes = 256 * 1024;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (isNode ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * A copy of `bytes` in a buffer of its own, made a slice per event-loop turn, ready to be transferred
 * to a worker. Posting a large view directly would copy all of it in one blocking step on the
 * caller's thread; the caller's buffer is never detached. Stops early (returns undefined) once
 * `cancel` has fired.
 */
export async function stageForTransfer(
  bytes: Uint8Array,
  cancel: AbortSignal,
  sliceBytes = defaultSliceBytes,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const staged = new Uint8Array(bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; offset += sliceBytes) {
    if (offset > 0) await yieldToEventLoop();
    if (cancel.aborted) return undefined;
    staged.set(bytes.subarray(offset, offset + sliceBytes), offset);
  }
  return staged;
}
