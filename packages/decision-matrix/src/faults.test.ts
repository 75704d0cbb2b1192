import { describe, expect, it } from 'vitest';
import { hasProcessOfItsOwn, inProcessFault } from './faults.js';
import { kindFacts } from './metrics.js';

const withModes = (...crashModes: string[]) => ({ ...kindFacts[0]!, crashModes });

describe('the faults staged for a kind, from the crash modes its kind.json lists', () => {
  it('in-process: a panic where the kind has one, else a trap, else a rejected call', () => {
    expect(inProcessFault(withModes('abort', 'trap', 'panic'))).toMatchObject({ mode: 'panic', expectedCode: 'ERR_NATIVE_PANIC' });
    expect(inProcessFault(withModes('hang', 'trap'))).toMatchObject({ mode: 'trap', expectedCode: 'ERR_WASM_TRAP' });
    expect(inProcessFault(withModes('hang'))).toMatchObject({ mode: undefined, expectedCode: 'ERR_INVALID_ARG' });
  });

  it('process death: only for a kind that can exit while the host lives on', () => {
    expect(hasProcessOfItsOwn(withModes('panic', 'exit'))).toBe(true);
    expect(hasProcessOfItsOwn(withModes('panic', 'abort'))).toBe(false);
  });
});
