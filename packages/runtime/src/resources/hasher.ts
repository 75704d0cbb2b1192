/**
 * The contract's incremental SHA-256 (CONTRACT.md, "Resources"), the same for every kind: a kind says how
 * its backend creates, updates, digests and frees one hasher's state, and `defineHasher` gives it
 * `createHasher` and `hashStream` with the checks, the call order, the end states and the limits.
 * Browser-safe: no Node imports.
 */
import { withCallOptions, type CallOptions } from '../call-options.js';
import { checkData } from '../contract-args.js';
import { InteropError, type InteropErrorCode } from '../errors.js';
import { isCopiedAtCall } from '../large-input.js';
import { createResourceTable, type Resource } from './table.js';

export interface Hasher extends AsyncDisposable {
  /** Adds `data`; updates apply in call order, awaited or not. Up to 1 MiB is copied at the call. */
  update(data: Uint8Array, options?: CallOptions): Promise<void>;
  /** The SHA-256 of everything added, 32 bytes; it ends the hasher. */
  digest(options?: CallOptions): Promise<Uint8Array>;
  /** Ends the hasher and frees its state once the calls made before are done. Idempotent; `await using` calls it. */
  dispose(): Promise<void>;
}

/** How a kind's backend holds one hasher's state. */
export interface HasherBackend<State> {
  create(): State | Promise<State>;
  /** `data` is the caller's (over 1 MiB) or a copy; stop early when `cancel` fires. */
  update(state: State, data: Uint8Array, cancel: AbortSignal): Promise<void>;
  digest(state: State, cancel: AbortSignal): Promise<Uint8Array>;
  /** Runs once per hasher after its last call, never after a loss. */
  free(state: State): void | Promise<void>;
  /** Most live hashers in this backend instance (default `defaultHasherLimit`). */
  readonly limit?: number;
  /**
   * The codes of a failure that mean the backend lost the hasher's state (ERR_PORT_CRASHED, ERR_WASM_TRAP); the
   * other hashers it held are found lost at their next call, or by `isLost`.
   */
  readonly lostOn?: readonly InteropErrorCode[];
  /** Whether the backend has lost this hasher's state already: asked at the limit, so lost ones stop counting. */
  readonly isLost?: (state: State) => boolean;
  /** Its calls run on this thread, so the loop gets a turn between them (see ResourceTableOptions). */
  readonly onThisThread?: boolean;
}

export interface Hashers {
  createHasher(): Hasher;
  /** SHA-256 of every chunk of `source`, in order; `options` bound the whole stream. */
  hashStream(source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, options?: CallOptions): Promise<Uint8Array>;
  /** Hashers created and not yet freed or lost (leak tests read it). */
  readonly live: number;
}

/** Enough for any honest use at once; a loop that forgets `dispose` meets it instead of exhausting memory. */
export const defaultHasherLimit = 10_000;

export function defineHasher<State>(backend: HasherBackend<State>): Hashers {
  const table = createResourceTable<State>({
    name: 'hasher',
    limit: backend.limit ?? defaultHasherLimit,
    free: (state) => backend.free(state),
    lostOn: backend.lostOn,
    isLost: backend.isLost,
    onThisThread: backend.onThisThread,
  });

  const digested = 'this hasher was digested';

  function update(resource: Resource<State>, data: Uint8Array, options?: CallOptions): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = checkData(data);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isCopiedAtCall(bytes)) bytes = bytes.slice();
    return resource.run((state, cancel) => backend.update(state, bytes, cancel), options);
  }

  function createHasher(): Hasher {
    const hasher: Hasher = {
      update: (data, options) => update(resource, data, options),
      digest: (options) => resource.run((state, cancel) => backend.digest(state, cancel), options, { ends: digested }),
      dispose: () => resource.dispose(),
      [Symbol.asyncDispose]: () => resource.dispose(),
    };
    // Opened last, and the backend asked only if the limit lets it: a refused hasher leaves nothing behind.
    const resource = table.open(() => backend.create(), hasher);
    return hasher;
  }

  async function hashStream(source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, options?: CallOptions) {
    const reading = openSource(source);
    let stopRead: ((reason: unknown) => void) | undefined;
    // A read the caller's giving up ends at once, even where the source cannot stop mid-read (a generator
    // in an await): the stream's one call then settles, and its hasher is freed without waiting for it.
    const read = () =>
      new Promise<IteratorResult<unknown>>((resolve, reject) => {
        stopRead = reject;
        reading.next().then(resolve, (error: unknown) => reject(new SourceFailure(error)));
      });
    let started = false;
    try {
      return await withCallOptions(options, async (cancel) => {
        started = true;
        const giveUp = () => {
          reading.stop();
          stopRead?.(cancel.reason);
        };
        cancel.addEventListener('abort', giveUp, { once: true });
        let resource: Resource<State> | undefined;
        try {
          resource = table.open(() => backend.create(), reading);
          // One call of the resource for the whole stream, as no other caller holds this hasher: a call per
          // chunk (its order and end checks, its promises) cost napi's hashStream about 5% of its throughput
          // over 64 KiB chunks, measured. Each chunk is hashed before the next is read, so a source may reuse
          // its buffer for the next one and no chunk needs a copy (a third of the time of hashing 64 KiB,
          // measured). A Node stream reads ahead into its own buffer meanwhile.
          return await resource.run(
            async (state) => {
              // Given up between two steps (in a turn, or after an update that does not watch `cancel`): stop there.
              const stopIfGivenUp = () => {
                if (cancel.aborted) throw cancel.reason;
              };
              for (let next = await read(); !next.done; next = await read()) {
                const chunk: unknown = next.value;
                if (!(chunk instanceof Uint8Array)) {
                  throw new InteropError('ERR_INVALID_ARG', `hashStream's source must yield Uint8Array chunks, got ${typeof chunk}`);
                }
                const turn = table.between();
                if (turn !== undefined) await turn;
                stopIfGivenUp();
                await backend.update(state, checkData(chunk), cancel);
                stopIfGivenUp();
              }
              return backend.digest(state, cancel);
            },
            undefined,
            { cancel, ends: digested, heldByOwner: true },
          );
        } catch (error) {
          reading.stop();
          throw error;
        } finally {
          cancel.removeEventListener('abort', giveUp);
          reading.release();
          await resource?.dispose();
        }
      });
    } catch (error) {
      if (!started) reading.stop(); // refused before it began (an aborted signal): the source is not left open
      // The source's own failure reaches the caller as it is, as stream.pipeline passes it on.
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof SourceFailure) throw cause.error;
      throw error;
    }
  }

  return {
    createHasher,
    hashStream,
    get live() {
      return table.live;
    },
  };
}

/**
 * The source's own failure, carried through the hasher's call as a value the resource table does not read: a
 * code of its own (ERR_PORT_CRASHED from another package's stream) would otherwise mark this hasher lost,
 * and its state would never be freed.
 */
class SourceFailure {
  constructor(readonly error: unknown) {}
}

/** A source being read: its next chunk, a stop that ends a pending read where the source allows, a release when done. */
interface Reading {
  next(): Promise<IteratorResult<unknown>>;
  stop(): void;
  release(): void;
}

/**
 * Reads a Node stream through its iterator and stops it with destroy() (the iterator's return() would wait
 * for the pending read); a web ReadableStream through its reader, stopped with cancel(); any other async
 * iterable through its iterator, asked to return (a generator stalled in an await finishes that first).
 */
function openSource(source: unknown): Reading {
  const ignore = () => {};
  if (source !== null && typeof source === 'object') {
    if ('getReader' in source && typeof source.getReader === 'function') {
      const reader = (source as ReadableStream<unknown>).getReader();
      return {
        next: () => reader.read() as Promise<IteratorResult<unknown>>,
        stop: () => void reader.cancel().catch(ignore),
        release: () => {
          try {
            reader.releaseLock();
          } catch {
            // a read still pending after a stop: the stream is cancelled anyway
          }
        },
      };
    }
    if (Symbol.asyncIterator in source) {
      const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const destroy = (source as { destroy?: unknown }).destroy;
      return {
        next: () => iterator.next(),
        stop:
          typeof destroy === 'function'
            ? () => void destroy.call(source)
            : () => void iterator.return?.()?.catch(ignore),
        release: ignore,
      };
    }
  }
  throw new InteropError('ERR_INVALID_ARG', 'hashStream takes an AsyncIterable<Uint8Array> or a ReadableStream<Uint8Array>');
}
