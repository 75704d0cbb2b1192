/**
 * Native state behind a handle, the NIF resource object in Node terms: the backend keeps the state (a
 * Rust value in the addon, an entry in a port's or a wasm instance's handle table, a node:crypto object),
 * and JavaScript holds a `Resource` that reaches it. One table per backend instance counts the live
 * resources, refuses one over its limit, frees each state exactly once (dispose, end, or after garbage
 * collection) and marks a resource lost once its state is found gone with the backend that held it (the
 * port died, the wasm instance trapped): at its next call, or when the limit is reached.
 */
import { checkCallOptions, withCallOptions, type CallOptions } from '../call-options.js';
import { InteropError, toInteropError, type InteropErrorCode } from '../errors.js';
import { turnIfHeld } from '../large-input.js';

export interface ResourceTableOptions<State> {
  /** What the resources are, for messages: "hasher". */
  readonly name: string;
  /** Most live resources at once; opening one more is ERR_RESOURCE_LIMIT. */
  readonly limit: number;
  /** Frees one resource's state in the backend. Runs once per resource, after its last call, never for a lost one. */
  readonly free: (state: State) => void | Promise<void>;
  /**
   * The codes of a call's failure that mean the backend lost the state (ERR_PORT_CRASHED, ERR_WASM_TRAP),
   * besides ERR_RESOURCE_LOST, which a backend that finds a handle of a lost state answers.
   */
  readonly lostOn?: readonly InteropErrorCode[];
  /**
   * Whether the backend has lost this state already (its process died, its instance trapped), asked of the
   * live resources when the limit is reached: the lost ones then stop counting, as they hold nothing.
   */
  readonly isLost?: (state: State) => boolean;
  /**
   * The backend works on this thread (pure, wasm, small napi updates): before a call's work, the loop gets a
   * turn if the calls before it have held it, as calls chained by promises never leave the microtask queue
   * by themselves (a stream of small updates held the loop 76–260 ms for 64 MiB, measured).
   */
  readonly onThisThread?: boolean;
}

/**
 * Where a resource is in its life. Only `open` takes new calls; `ended` (a digest, a dispose) lets the
 * calls made before it run, as FileHandle.close waits for pending operations; `stopped` (a call given up
 * while it ran left the state unknown) refuses them too.
 */
type Condition =
  | { readonly is: 'open' }
  | { readonly is: 'ended' | 'stopped'; readonly why: string }
  | { readonly is: 'lost'; readonly cause: unknown };

export interface ResourceTable<State> {
  /**
   * A resource over the state `create` makes (or promises), called only once the limit lets it: at
   * `limit` live resources this throws ERR_RESOURCE_LIMIT and creates nothing. `owner`, the object the
   * caller holds, frees the state when it is garbage-collected without a dispose.
   */
  open(create: () => State | Promise<State>, owner: object): Resource<State>;
  /**
   * What one call that works on its state step after step (hashStream's, over a whole stream) awaits before
   * each step: a turn of the loop if the backend works on this thread and has held it (onThisThread), else
   * undefined.
   */
  between(): Promise<void> | undefined;
  /** Resources opened and not yet freed or lost. */
  readonly live: number;
}

export interface RunOptions {
  /** The call ends the resource (a digest): later calls are ERR_INVALID_STATE and the state is freed after it. */
  readonly ends?: string;
  /**
   * A signal of the caller's own larger task (hashStream's), for a call without `signal` or `timeoutMs`:
   * it stops the call as an abort would, without an AbortController per call.
   */
  readonly cancel?: AbortSignal;
  /**
   * The operation holds the resource's owner (hashStream's holds the source it reads): once the owner is
   * garbage-collected, the call can never go on, so its state is freed without waiting for it (a stream
   * dropped while its source waits for a read that never comes).
   */
  readonly heldByOwner?: boolean;
}

/** A failure's code, for a message. */
function describe(failure: unknown): string {
  return failure instanceof InteropError ? failure.code : String(failure);
}

/** The cancel signal of a call nobody can give up. */
const neverCancelled = new AbortController().signal;

export interface Resource<State> {
  /**
   * Runs `operation` on the state after every call made before it (calls apply in call order). The caller's
   * `signal`/`timeoutMs` settle the call at once; the next call still waits for the backend to finish this
   * one, and a call given up after it started leaves the state unknown, so the resource ends.
   */
  run<T>(operation: (state: State, cancel: AbortSignal) => Promise<T>, options?: CallOptions, run?: RunOptions): Promise<T>;
  /** Ends the resource: later calls are ERR_INVALID_STATE; frees the state once the calls made before are done. Idempotent. */
  dispose(): Promise<void>;
}

export function createResourceTable<State>(options: ResourceTableOptions<State>): ResourceTable<State> {
  const { name, limit, free, lostOn = [], isLost, onThisThread = false } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const live = new Set<Entry>();
  const between = onThisThread ? turnIfHeld : () => undefined;
  // Holds each entry strongly until its owner is collected, then frees what the owner never disposed.
  const collected = new FinalizationRegistry<Entry>((entry) => entry.ownerCollected());

  class Entry implements Resource<State> {
    #condition: Condition = { is: 'open' };
    /** dispose() was called: nothing reopens the resource, not even a digest given up before it started. */
    #disposed = false;
    /** Settles when every call made so far is done in the backend (not merely given up by its caller). */
    #tail: Promise<unknown>;
    #released: Promise<void> | undefined;
    /** Ends the pending call whose operation holds the owner (RunOptions.heldByOwner): it is gone with it. */
    #endWithOwner: (() => void) | undefined;
    readonly #state: Promise<State>;
    /** The state once created, for `isLost`. */
    created: { state: State } | undefined;

    constructor(create: () => State | Promise<State>) {
      let state: Promise<State>;
      try {
        state = Promise.resolve(create());
      } catch (error) {
        state = Promise.reject(error);
      }
      this.#state = state;
      state.then((created) => (this.created = { state: created }), () => {});
      // A failed creation holds nothing, so it stops counting now; the caller hears of it at its first call.
      this.#tail = this.#state.catch((error: unknown) => {
        this.#forget();
        return this.#failed(error);
      });
    }

    run<T>(operation: (state: State, cancel: AbortSignal) => Promise<T>, callOptions?: CallOptions, runOptions?: RunOptions) {
      let checked: CallOptions;
      try {
        checked = checkCallOptions(callOptions); // before the call takes its place in the order
      } catch (error) {
        return Promise.reject(error);
      }
      const refused = this.#refusal('open');
      if (refused) return Promise.reject(refused);
      // Given up already: it never takes a place in the order, so it can hold up nothing.
      if (checked.signal?.aborted) return Promise.reject(new InteropError('ERR_ABORTED', 'the call was aborted by its AbortSignal'));
      if (runOptions?.ends !== undefined) this.#condition = { is: 'ended', why: runOptions.ends };
      const previous = this.#tail;
      let done!: () => void;
      this.#tail = new Promise<void>((resolve) => (done = resolve));
      if (runOptions?.heldByOwner) this.#endWithOwner = done;
      const inOrder = (cancel: AbortSignal) => this.#inOrder(operation, cancel, previous, done, runOptions);
      // Nothing to watch: no AbortController, listener or timer per call (a stream makes a thousand).
      if (checked.signal === undefined && checked.timeoutMs === undefined) {
        return inOrder(runOptions?.cancel ?? neverCancelled).catch((error: unknown) => Promise.reject(toInteropError(error)));
      }
      return withCallOptions(callOptions, inOrder);
    }

    /** Runs `operation` once `previous` is done; `done` tells the next call the backend is done with this one. */
    #inOrder<T>(
      operation: (state: State, cancel: AbortSignal) => Promise<T>,
      cancel: AbortSignal,
      previous: Promise<unknown>,
      done: () => void,
      runOptions: RunOptions | undefined,
    ): Promise<T> {
      let started = false;
      const work = (async () => {
        await previous;
        const turn = between();
        if (turn !== undefined) await turn;
        if (cancel.aborted) {
          // Skipped before it started: a digest given up so leaves the resource open, as if never made.
          const condition = this.#condition;
          if (!this.#disposed && runOptions?.ends !== undefined && condition.is === 'ended' && condition.why === runOptions.ends) {
            this.#condition = { is: 'open' };
          }
          throw cancel.reason;
        }
        const refusedNow = this.#refusal('ended');
        if (refusedNow) throw refusedNow;
        started = true;
        let result: T;
        try {
          result = await operation(await this.#state, cancel);
        } catch (error) {
          const failure = this.#failed(error);
          // Whatever it got through before it failed is in the state now: nothing after it can be trusted.
          this.#stop(`a call to this ${name} failed while it ran (${describe(failure)}), so its state is unknown`);
          throw failure;
        }
        if (runOptions?.ends !== undefined) {
          // Freed before the caller hears the result: a digest leaves nothing behind.
          done();
          await this.release().catch(() => {});
        }
        return result;
      })();
      // The caller's promise may settle first (abort, timeout); the next call waits for the backend.
      const settled = () => {
        if (started && cancel.aborted) this.#stop(`a call to this ${name} was given up while it ran, so its state is unknown`);
        done();
        if (runOptions?.ends !== undefined && started) void this.release().catch(() => {});
      };
      work.then(settled, settled);
      return work;
    }

    dispose(): Promise<void> {
      this.#disposed = true;
      if (this.#condition.is === 'open') this.#condition = { is: 'ended', why: `this ${name} was disposed` };
      return this.release();
    }

    /** Its owner was garbage-collected without a dispose: frees the state once the calls that can still end have. */
    ownerCollected() {
      this.#endWithOwner?.();
      void this.release().catch(() => {});
    }

    /** Frees the state once the calls made so far are done; the same promise every time. */
    release(): Promise<void> {
      this.#released ??= this.#tail.then(async () => {
        if (!this.#forget()) return;
        let state: State;
        try {
          state = await this.#state;
        } catch {
          return; // never created: nothing to free
        }
        await free(state);
      });
      return this.#released;
    }

    lose(cause: unknown) {
      if (this.#condition.is === 'lost') return;
      this.#condition = { is: 'lost', cause };
      this.#forget();
    }

    /** Stops counting this entry and watching its owner; false if that was done already. */
    #forget(): boolean {
      if (!live.delete(this)) return false;
      collected.unregister(this);
      return true;
    }

    #stop(why: string) {
      if (this.#condition.is !== 'lost') this.#condition = { is: 'stopped', why };
    }

    /** Why a call may not run now: at its call `open` is needed, at its start `ended` still lets it run. */
    #refusal(needs: 'open' | 'ended'): InteropError | undefined {
      const condition = this.#condition;
      if (condition.is === 'lost') {
        return new InteropError('ERR_RESOURCE_LOST', `this ${name}'s state is gone with the backend that held it`, {
          cause: condition.cause,
        });
      }
      if (condition.is === 'open' || (condition.is === 'ended' && needs === 'ended')) return undefined;
      return new InteropError('ERR_INVALID_STATE', `${condition.why}; create a new ${name}`);
    }

    /** A call's failure as its caller gets it: a loss of the backend's state becomes ERR_RESOURCE_LOST. */
    #failed(error: unknown): unknown {
      if (error instanceof InteropError && (error.code === 'ERR_RESOURCE_LOST' || lostOn.includes(error.code))) {
        this.lose(error);
        return this.#refusal('ended');
      }
      return error;
    }
  }

  return {
    open(create, owner) {
      if (live.size >= limit && isLost !== undefined) {
        for (const entry of [...live]) {
          if (entry.created !== undefined && isLost(entry.created.state)) {
            entry.lose(new InteropError('ERR_RESOURCE_LOST', `the backend that held this ${name} is gone`));
          }
        }
      }
      if (live.size >= limit) {
        throw new InteropError(
          'ERR_RESOURCE_LIMIT',
          `${limit} ${name}s are live, the most this backend holds; dispose (or await using) the ones you are done with`,
        );
      }
      const entry = new Entry(create);
      live.add(entry);
      collected.register(owner, entry, entry);
      return entry;
    },
    between,
    get live() {
      return live.size;
    },
  };
}
