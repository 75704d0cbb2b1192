import { describe, expect, it } from 'vitest';
import { KeepAlive } from './keep-alive.js';

/** A handle as Node creates it: referenced. Counts its ref() and unref() calls. */
function handle() {
  const state = { referenced: true, calls: 0 };
  return {
    state,
    ref: () => ((state.referenced = true), state.calls++),
    unref: () => ((state.referenced = false), state.calls++),
  };
}

describe('KeepAlive', () => {
  it('references its handles exactly while calls are outstanding', () => {
    const keepAlive = new KeepAlive();
    const [child, stdout] = [handle(), handle()];
    keepAlive.hold(child, stdout);
    keepAlive.update(false);
    expect([child.state.referenced, stdout.state.referenced]).toEqual([false, false]);
    keepAlive.update(true);
    expect([child.state.referenced, stdout.state.referenced]).toEqual([true, true]);
  });

  it('brings a handle taken on while idle to the state of the others at once', () => {
    const keepAlive = new KeepAlive();
    keepAlive.update(false);
    const timer = handle();
    keepAlive.hold(timer);
    expect(timer.state.referenced).toBe(false);
    keepAlive.update(true);
    expect(timer.state.referenced).toBe(true);
  });

  it('touches no handle when nothing changed, and none it has released', () => {
    const keepAlive = new KeepAlive();
    const [kept, released] = [handle(), handle()];
    keepAlive.hold(kept, released);
    keepAlive.update(true);
    expect(kept.state.calls).toBe(0);
    keepAlive.release(released);
    keepAlive.update(false);
    keepAlive.update(false);
    expect([kept.state.calls, released.state.calls]).toEqual([1, 0]);
    expect(released.state.referenced).toBe(true);
  });
});
