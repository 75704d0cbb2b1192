/**
 * Length-prefixed framing, as Erlang's `{packet, 4}`: a 4-byte big-endian payload length, then the payload.
 *
 * The reader keeps the chunks it was given and copies each payload out once, when all of it has arrived,
 * so a frame split over many chunks costs O(frame) rather than O(chunks × buffered). A declared length
 * above `maxFrameBytes` is reported before anything is allocated for it: a hostile header cannot make the
 * parent reserve memory, and the reader stops accepting input after that.
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
  onFrame(payload: Buffer): void;
  /** A header declared more than maxFrameBytes; no more frames will be delivered. */
  onOversize(declaredBytes: number): void;
}

export class FrameReader {
  readonly maxFrameBytes: number;
  private readonly handlers: FrameReaderHandlers;
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks` (the first one may be partly consumed: see `offset`). */
  private held = 0;
  /** How far into chunks[0] has been consumed. */
  private offset = 0;
  /** Payload length of the frame being assembled, once its header has been read. */
  private pendingLength: number | undefined;
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
    return this.held - this.offset;
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.held += chunk.length;
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
      if (this.bufferedBytes < this.pendingLength) return;
      const payload = this.take(this.pendingLength);
      this.pendingLength = undefined;
      this.handlers.onFrame(payload);
    }
  }

  /** Drops everything held; later input is ignored. */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.held = 0;
    this.offset = 0;
  }

  /** Removes a frame header and returns the length it declares, reading it in place when it lies in one chunk. */
  private takeHeader(): number {
    const first = this.chunks[0]!;
    if (first.length - this.offset < frameHeaderBytes) return this.take(frameHeaderBytes).readUInt32BE(0);
    const declared = first.readUInt32BE(this.offset);
    this.consume(frameHeaderBytes);
    return declared;
  }

  /** Removes `length` buffered bytes: a view when they lie in one chunk, else one copy. */
  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.offset >= length) {
      const view = first.subarray(this.offset, this.offset + length);
      this.consume(length);
      return view;
    }
    const out = Buffer.allocUnsafe(length);
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.offset, length - written);
      chunk.copy(out, written, this.offset, this.offset + n);
      written += n;
      this.consume(n);
    }
    return out;
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
