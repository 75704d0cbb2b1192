export interface RssGrowthOptions {
  iterations: number;
  /** Calls made before the first sample so one-off allocations (JIT, pools) are not counted. */
  warmupIterations?: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('measureRssGrowth needs node --expose-gc (run it through runInChild with execArgv)');
  // Twice: the first pass can leave objects whose finalizers free native memory on the second.
  gc();
  gc();
}

/** Resident-set growth across `iterations` calls of `fn`, measured after full collections. */
export async function measureRssGrowth(
  fn: () => unknown,
  options: RssGrowthOptions,
): Promise<{ growthBytes: number; beforeBytes: number; afterBytes: number }> {
  const { iterations, warmupIterations = Math.min(iterations, 100_000) } = options;
  for (let i = 0; i < warmupIterations; i++) fn();
  // Let napi/wasm finalizers queued by the warm-up run before sampling.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  const beforeBytes = process.memoryUsage.rss();
  for (let i = 0; i < iterations; i++) fn();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  const afterBytes = process.memoryUsage.rss();
  return { growthBytes: afterBytes - beforeBytes, beforeBytes, afterBytes };
}
