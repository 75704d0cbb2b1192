import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

/** Streams to drive a prompt with: keys go in through `type`, what it drew comes out as `text` (without colours). */
export function fakeTerminal() {
  const input = new PassThrough();
  let drawn = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      drawn += chunk.toString();
      done();
    },
  });
  return {
    input,
    output,
    type: (keys: string) => input.write(keys),
    get text() {
      return stripVTControlCharacters(drawn);
    },
  };
}
