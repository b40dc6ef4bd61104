/** Small helpers shared by the benchmarks: timing, peak-memory sampling and a result line. */
let cpuOfLast = 0;

/**
 * Runs `fn` once after a full GC and prints wall time, throughput, process CPU time of the call
 * (all threads, so GC helpers count: the work done whatever the machine's load) and peak RSS.
 */
export function measure<T>(label: string, fn: () => T, units?: { count: number; unit: string }): T {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  clearInterval(timer);
  cpuOfLast = (c.user + c.system) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const rate = units ? `  ${fmt(units.count / (ms / 1000))} ${units.unit}/s` : '';
  console.log(
    `${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms${rate}  cpu ${cpuOfLast.toFixed(0)} ms  peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  return out;
}

/** Process CPU time (ms) of the last {@link measure} call. */
export function lastCpuMs(): number {
  return cpuOfLast;
}

export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}
