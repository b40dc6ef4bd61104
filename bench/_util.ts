/** Small helpers shared by the benchmarks: timing, peak-memory sampling and a result line. */
export function measure<T>(label: string, fn: () => T, units?: { count: number; unit: string }): T {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const rate = units ? `  ${fmt(units.count / (ms / 1000))} ${units.unit}/s` : '';
  console.log(
    `${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms${rate}  peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  return out;
}

export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}
