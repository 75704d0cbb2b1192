/**
 * Frames on their way into one child's stdin: the calls of one burst leave together, a large body
 * leaves a slice at a time, and no turn of the event loop spends more than `writeTurnMs` writing.
 */
import type { Writable } from 'node:stream';

/** The most one write() to the stream carries: small queued parts are gathered up to it, larger ones sliced. */
export const writeBytes = 64 * 1024;

/** How long one turn of the event loop may spend writing before it lets other work run. */
export const writeTurnMs = 0.5;

export class Outbox {
  /** Frames of the current burst of calls, and slices of large bodies not yet taken by the stream. */
  private queued: Uint8Array[] = [];
  private waiting = false;
  private discarded = false;

  constructor(
    private readonly stream: Writable,
    /** Called when the outbox takes frames again after waiting (see blocked), to send what waited meanwhile. */
    private readonly onResume: () => void,
    /**
     * Called, after the outbox has stopped for good, when a part lost its bytes before it was written: a
     * caller detached (transferred) a body it had lent a call, so the frame can never be completed.
     */
    private readonly onTorn: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether writing waits for a later turn (or for 'drain'): frames written meanwhile only queue. */
  get blocked(): boolean {
    return this.waiting;
  }

  /**
   * Queues a frame. While other calls are in flight, the frames queued in one burst (one tick, e.g.
   * every continuation of the replies in one chunk) leave together on the next tick; a `lone` frame —
   * nothing else in flight, so no burst to wait for — leaves at once. A part larger than `writeBytes`
   * is queued as views of `writeBytes` each, never copied.
   */
  write(parts: readonly Uint8Array[], lone: boolean): void {
    const burstStarted = this.queued.length > 0;
    for (const part of parts) {
      // Never queued empty, so a part found empty later is one whose buffer was detached.
      if (part.length === 0) continue;
      if (part.length <= writeBytes) this.queued.push(part);
      else for (let at = 0; at < part.length; at += writeBytes) this.queued.push(part.subarray(at, at + writeBytes));
    }
    if (burstStarted) return;
    if (lone) this.flush();
    else process.nextTick(() => this.flush());
  }

  /**
   * Copies the parts still queued that are views of `buffer` — a large body lent by a caller who has
   * given up on the call (abort, timeout) and may reuse or transfer it now. The frame still goes out
   * whole: the child reads frames by their length, so a frame cannot be cut short.
   */
  ownPending(buffer: ArrayBufferLike): void {
    this.queued = this.queued.map((part) => (part.buffer === buffer ? new Uint8Array(part) : part));
  }

  /** Drops what is queued and writes nothing more: the child is gone, and its frames must not reach the next one. */
  discard(): void {
    this.discarded = true;
    this.queued = [];
  }

  /**
   * Writes what is queued, in order, at most `writeBytes` per write(): runs of small parts as one
   * buffer — the cheapest path through a Node stream — and a large body a slice at a time. It goes on
   * while the stream takes each write at once, for up to `writeTurnMs`, then lets the event loop run and
   * continues on its next turn (or once the stream has drained). Handed a whole 64 MiB body, the kernel
   * copied in one syscall for as long as the child kept reading: up to 80 ms of the loop's time.
   */
  private flush(): void {
    if (this.discarded || this.stream.destroyed) {
      this.queued = [];
      return;
    }
    const started = this.now();
    while (!this.waiting && this.queued.length > 0) {
      let count = 0;
      let bytes = 0;
      while (count < this.queued.length && bytes + this.queued[count]!.length <= writeBytes) {
        bytes += this.queued[count]!.length;
        count++;
      }
      const parts = this.queued.splice(0, Math.max(count, 1));
      if (parts.some((part) => part.length === 0)) {
        this.discard();
        this.onTorn();
        return;
      }
      this.stream.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes));
      const drained = this.stream.writableLength === 0;
      if (drained && this.now() - started < writeTurnMs) continue;
      this.waiting = true;
      const resume = () =>
        setImmediate(() => {
          if (this.discarded) return;
          this.waiting = false;
          this.flush();
          this.onResume();
        });
      // 'drain' comes only after a write() that returned false; with less than the stream's mark queued,
      // the next turn may go on writing.
      if (!drained && this.stream.writableNeedDrain) this.stream.once('drain', resume);
      else resume();
    }
  }
}
