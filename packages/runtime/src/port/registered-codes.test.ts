import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorCodes } from '../errors.js';
import { createPort, type Port } from './supervisor.js';

const fakePort = fileURLToPath(new URL('./fixtures/fake-port.mjs', import.meta.url));
let port: Port | undefined;

afterEach(async () => {
  await port?.close();
  port = undefined;
});

describe("a package's registered codes over a port", () => {
  it('an error reply with a registered code reaches the caller with it; one never registered is ERR_PROTOCOL', async () => {
    port = createPort({ command: process.execPath, args: [fakePort, 'serve'], closeGraceMs: 500 });
    await expect(port.call('fail', Buffer.from('ERR_TEST_DECLINED'))).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    registerErrorCodes(['ERR_TEST_DECLINED']);
    await expect(port.call('fail', Buffer.from('ERR_TEST_DECLINED'))).rejects.toMatchObject({
      code: 'ERR_TEST_DECLINED',
      message: 'failed on purpose',
    });
    await expect(port.call('fail', Buffer.from('ERR_TEST_NEVER_REGISTERED'))).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });
});
