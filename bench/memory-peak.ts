import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// How much memory an operation adds to this process: a baseline after full collections, then the peak of
// samples taken on an interval while it runs (and once when it ends).

const collectGarbage: () => void =
  globalThis.gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

export interface MemoryGrowth {
  baselineRssMb: number;
  /** Peak RSS during the operation less the baseline. */
  rssMb: number;
  /** Peak of heap used plus array buffers during the operation less the baseline. */
  heapMb: number;
  samples: number;
}

const MB = 1024 * 1024;
const heapOf = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

export async function measureGrowth<T>(
  run: () => Promise<T>,
  intervalMs = 10,
): Promise<{ result: T; growth: MemoryGrowth }> {
  for (let i = 0; i < 2; i++) collectGarbage();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = heapOf(base);
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, heapOf(m));
    samples++;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await run();
    sample();
    return {
      result,
      growth: {
        baselineRssMb: base.rss / MB,
        rssMb: (peakRss - base.rss) / MB,
        heapMb: (peakHeap - heapOf(base)) / MB,
        samples,
      },
    };
  } finally {
    clearInterval(timer);
  }
}
