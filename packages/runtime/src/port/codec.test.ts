import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessage, decodeReply, decodeRequest, encodeCallFrame, encodeReply, encodeRequest, setCallFrameId } from './codec.js';
import { encodeFrame } from './framing.js';

const id = fc.integer({ min: 0, max: 0xffff_ffff });
const method = fc.stringMatching(/^[a-zA-Z-]{0,20}$/);

describe('codec', () => {
  it('round-trips calls and cancels', () => {
    fc.assert(
      fc.property(id, method, fc.uint8Array({ maxLength: 100 }), (requestId, name, body) => {
        const call = decodeRequest(Buffer.concat(encodeRequest({ kind: 'call', id: requestId, method: name, body })));
        expect(call).toEqual({ kind: 'call', id: requestId, method: name, body: Buffer.from(body) });
        expect(decodeRequest(Buffer.concat(encodeRequest({ kind: 'cancel', id: requestId })))).toEqual({
          kind: 'cancel',
          id: requestId,
        });
      }),
    );
  });

  it('frames a call in one buffer byte for byte as encodeFrame(encodeRequest()) does in parts', () => {
    fc.assert(
      fc.property(id, method, fc.uint8Array({ maxLength: 2000 }), (requestId, name, body) => {
        const parts = encodeFrame(encodeRequest({ kind: 'call', id: requestId, method: name, body }));
        expect(encodeCallFrame(requestId, name, body)).toEqual(Buffer.concat(parts));
      }),
    );
    expect(() => encodeCallFrame(-1, 'echo', new Uint8Array())).toThrow(RangeError);
    expect(() => setCallFrameId(encodeCallFrame(0, 'echo', new Uint8Array()), 2 ** 32)).toThrow(RangeError);
    expect(() => encodeCallFrame(1, 'é', new Uint8Array())).toThrow(RangeError);
  });

  it('numbers a call frame made before its id was known', () => {
    const body = Uint8Array.of(1, 2, 3);
    expect(setCallFrameId(encodeCallFrame(0, 'hash', body), 0xfeed_beef)).toEqual(encodeCallFrame(0xfeed_beef, 'hash', body));
  });

  it('round-trips ok and error replies, messages in UTF-8', () => {
    fc.assert(
      fc.property(id, fc.uint8Array({ maxLength: 100 }), fc.string(), (replyId, body, message) => {
        expect(decodeReply(encodeReply({ id: replyId, ok: Buffer.from(body) }))).toEqual({ id: replyId, ok: Buffer.from(body) });
        const error = { code: 'ERR_NATIVE_PANIC', message };
        expect(decodeReply(encodeReply({ id: replyId, error }))).toEqual({ id: replyId, error });
      }),
    );
  });

  it('keeps a call body as the caller gave it, without copying', () => {
    const body = new Uint8Array(8);
    const [, sent] = encodeRequest({ kind: 'call', id: 1, method: 'hash', body });
    expect(sent!.buffer).toBe(body.buffer);
  });

  it.each([
    ['too short', [0, 0, 0]],
    ['an unknown status', [0, 0, 0, 1, 7]],
    ['an error without a code length', [0, 0, 0, 1, 1]],
    ['a code longer than the reply', [0, 0, 0, 1, 1, 20, 65]],
    ['a code that is not ASCII', [0, 0, 0, 1, 1, 1, 0xc3]],
  ])('refuses a reply with %s as MalformedMessage', (_label, bytes) => {
    expect(() => decodeReply(Buffer.from(bytes))).toThrow(MalformedMessage);
  });

  it.each([
    ['too short', [0, 0, 0]],
    ['an unknown kind', [9, 0, 0, 0, 1]],
    ['a cancel with trailing bytes', [1, 0, 0, 0, 1, 0]],
    ['a call without a method length', [0, 0, 0, 0, 1]],
    ['a method longer than the call', [0, 0, 0, 0, 1, 9, 65]],
  ])('refuses a request with %s as MalformedMessage', (_label, bytes) => {
    expect(() => decodeRequest(Buffer.from(bytes))).toThrow(MalformedMessage);
  });

  it('refuses ids, methods and codes the header cannot carry', () => {
    expect(() => encodeRequest({ kind: 'cancel', id: -1 })).toThrow(RangeError);
    expect(() => encodeRequest({ kind: 'call', id: 2 ** 32, method: 'x', body: new Uint8Array() })).toThrow(RangeError);
    expect(() => encodeRequest({ kind: 'call', id: 1, method: 'é', body: new Uint8Array() })).toThrow(RangeError);
    expect(() => encodeReply({ id: 1, error: { code: 'x'.repeat(256), message: '' } })).toThrow(RangeError);
  });
});
