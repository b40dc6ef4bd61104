import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress';

describe('the progress line', () => {
  it('shows rows, MB, rate and ETA from the bytes read, on one rewritten line', () => {
    let out = '';
    let now = 0;
    const sink = {
      write: (t: string) => {
        out += t;
      },
    };
    const p = new Progress(sink, true, () => now);
    p.start(10 * 1048576);
    now = 100;
    p.rows(5000);
    now = 1000; // lines are rewritten at most every 250 ms
    p.bytes(2 * 1048576);
    // 2 of 10 MB in 1 s: 8 MB left at 2 MB/s = 4 s.
    expect(out).toContain('\r\u001b[Kreading: 5000 rows, 2.0/10.0 MB, 5000 rows/s, ETA 4 s');
    p.done();
    expect(out.endsWith('\r\u001b[K')).toBe(true);
  });
  it('writes nothing when disabled (not a terminal, or --quiet)', () => {
    let out = '';
    const sink = {
      write: (t: string) => {
        out += t;
      },
    };
    const p = new Progress(sink, false);
    p.start(100);
    p.bytes(50);
    p.rows(10);
    p.setPhase('health');
    p.done();
    expect(out).toBe('');
  });
});
