/**
 * Length-prefixed framing, as Erlang's `{packet, 4}`: a 4-byte big-endian payload length, then the payload.
 *
 * The reader hands out a payload that arrived within one chunk as a view of it. A payload split over
 * chunks is copied into a buffer of its own, a little per read: a large frame costs O(frame) in total
 * and never one long copy when its last byte lands (64 MiB at once held the event loop for tens of ms).
 * Nothing is allocated from a header alone: a declared length above `maxFrameBytes` is reported at
 * once and the reader stops accepting input; within the limit, a large payload's buffer is reserved
 * only once half of it has arrived, so what a peer makes the parent allocate is at most twice what it
 * really sent.
 */

export const frameHeaderBytes = 4;
/** The largest length a 4-byte header can declare. */
export const maxDeclarableFrameBytes = 0xffff_ffff;

/**
 * The frame for a payload given in parts: a header, then the parts as they are. Written together
 * (cork/uncork, or concatenated), a large body is never copied just to put a header in front of it.
 */
export function encodeFrame(parts: readonly Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  if (length > maxDeclarableFrameBytes) {
    throw new RangeError(`a frame payload is at most ${maxDeclarableFrameBytes} bytes, got ${length}`);
  }
  const header = Buffer.allocUnsafe(frameHeaderBytes);
  header.writeUInt32BE(length, 0);
  return [header, ...parts];
}

export interface FrameReaderHandlers {
  /**
   * A complete payload. `owned` says it lies in a buffer of its own, which the handler may keep or
   * hand on; otherwise it is a view into a chunk read from the stream, to be copied if kept.
   */
  onFrame(payload: Buffer, owned: boolean): void;
  /** A header declared more than maxFrameBytes; no more frames will be delivered. */
  onOversize(declaredBytes: number): void;
}

/** Payloads up to this size get their buffer as soon as they are known to span chunks. */
const smallPayloadBytes = 64 * 1024;

/** A payload being filled: bytes held before its buffer existed are copied a few at a time, on later reads. */
interface Assembly {
  payload: Buffer;
  /** Bytes of the payload received so far. */
  received: number;
  /** Chunks received before the buffer existed (the payload's start), not yet copied into it. */
  backlog: Buffer[];
  /** How much of the payload's start has been copied from the backlog. */
  copied: number;
}

export class FrameReader {
  readonly maxFrameBytes: number;
  private readonly handlers: FrameReaderHandlers;
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks` (the first one may be partly consumed: see `offset`). */
  private held = 0;
  /** How far into chunks[0] has been consumed. */
  private offset = 0;
  /** Payload length of the frame being read, once its header has been read. */
  private pendingLength: number | undefined;
  private assembly: Assembly | undefined;
  private stopped = false;

  constructor(maxFrameBytes: number, handlers: FrameReaderHandlers) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > maxDeclarableFrameBytes) {
      throw new RangeError(`maxFrameBytes must be an integer from 0 to ${maxDeclarableFrameBytes}`);
    }
    this.maxFrameBytes = maxFrameBytes;
    this.handlers = handlers;
  }

  /** Bytes received but not yet delivered; never more than what the peer actually sent. */
  get bufferedBytes(): number {
    return this.held - this.offset + (this.assembly?.received ?? 0);
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    let rest = chunk;
    const assembly = this.assembly;
    if (assembly !== undefined) {
      const taken = rest.copy(assembly.payload, assembly.received);
      assembly.received += taken;
      rest = rest.subarray(taken);
      const complete = assembly.received === assembly.payload.length;
      // Twice what arrived, so the backlog is gone by the time the rest of the payload is here.
      this.copyBacklog(assembly, complete ? Infinity : 2 * taken);
      if (!complete) return;
      this.assembly = undefined;
      this.handlers.onFrame(assembly.payload, true);
      if (this.stopped || rest.length === 0) return;
    }
    this.chunks.push(rest);
    this.held += rest.length;
    while (!this.stopped) {
      if (this.pendingLength === undefined) {
        if (this.bufferedBytes < frameHeaderBytes) return;
        const declared = this.takeHeader();
        if (declared > this.maxFrameBytes) {
          this.stop();
          this.handlers.onOversize(declared);
          return;
        }
        this.pendingLength = declared;
      }
      const length = this.pendingLength;
      const buffered = this.bufferedBytes;
      if (buffered < length) {
        // Still arriving: hold the chunks until the payload's buffer is warranted (see the module comment).
        if (length > smallPayloadBytes && 2 * buffered < length) return;
        const backlog = this.chunks;
        if (this.offset > 0) backlog[0] = backlog[0]!.subarray(this.offset);
        this.assembly = { payload: Buffer.allocUnsafeSlow(length), received: buffered, backlog, copied: 0 };
        this.chunks = [];
        this.held = 0;
        this.offset = 0;
        this.pendingLength = undefined;
        if (length <= smallPayloadBytes) this.copyBacklog(this.assembly, Infinity);
        return;
      }
      this.pendingLength = undefined;
      const first = this.chunks[0];
      if (first !== undefined && first.length - this.offset >= length) {
        const view = first.subarray(this.offset, this.offset + length);
        this.consume(length);
        this.handlers.onFrame(view, false);
      } else {
        const payload = Buffer.allocUnsafeSlow(length);
        this.copyOut(payload, length);
        this.handlers.onFrame(payload, true);
      }
    }
  }

  /** Drops everything held; later input is ignored. */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.held = 0;
    this.offset = 0;
    this.assembly = undefined;
  }

  /** Copies at least `budget` bytes of the backlog into place (whole chunks), or all that is left. */
  private copyBacklog(assembly: Assembly, budget: number): void {
    let copiedNow = 0;
    while (assembly.backlog.length > 0 && copiedNow < budget) {
      const chunk = assembly.backlog.shift()!;
      chunk.copy(assembly.payload, assembly.copied);
      assembly.copied += chunk.length;
      copiedNow += chunk.length;
    }
  }

  /** Removes a frame header and returns the length it declares, reading it in place when it lies in one chunk. */
  private takeHeader(): number {
    const first = this.chunks[0]!;
    if (first.length - this.offset >= frameHeaderBytes) {
      const declared = first.readUInt32BE(this.offset);
      this.consume(frameHeaderBytes);
      return declared;
    }
    const header = Buffer.allocUnsafe(frameHeaderBytes);
    this.copyOut(header, frameHeaderBytes);
    return header.readUInt32BE(0);
  }

  /** Moves the first `length` buffered bytes into the start of `target`. */
  private copyOut(target: Buffer, length: number): void {
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.offset, length - written);
      chunk.copy(target, written, this.offset, this.offset + n);
      written += n;
      this.consume(n);
    }
  }

  private consume(length: number): void {
    this.offset += length;
    const first = this.chunks[0]!;
    if (this.offset === first.length) {
      this.chunks.shift();
      this.held -= first.length;
      this.offset = 0;
    }
  }
}
