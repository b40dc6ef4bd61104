import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { bgbbLogLikelihood } from '../../src/clv/BGBBModel';
import { compressRfm } from '../../src/clv/compressRfm';
import { estimateClv } from '../../src/clv/estimateClv';
import { historicalClv } from '../../src/clv/historicalClv';
import { rfmSummary } from '../../src/clv/rfmSummary';

// Findings of the fuzz suite (#18, test/robustness): each call threw a raw TypeError or returned a
// non-finite number before; now a located ValidationError naming the function.
const asOf = Date.UTC(2025, 0, 1);
const p = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };

describe('clv functions that take events, on hostile entries', () => {
  it('rfmSummary locates an undefined entry instead of "reading \'type\'"', () => {
    expect(() => rfmSummary([undefined] as never, { asOf })).toThrow(
      /^rfmSummary: .*not a validated event \(undefined\)/,
    );
  });
  it('historicalClv names itself on undefined events instead of "reading \'length\'"', () => {
    expect(() => historicalClv(undefined as never, { asOf })).toThrow(
      /^historicalClv: .*events must be an array/,
    );
  });
  it('estimateClv names itself on a null entry (not rfmSummary, not a TypeError)', () => {
    expect(() => estimateClv([null] as never, { asOf })).toThrow(
      /^estimateClv: .*not a validated event \(null\)/,
    );
    expect(() =>
      estimateClv([{ customerId: 'a', type: 'purchase', timestamp: asOf, value: 10n }] as never, { asOf }),
    ).toThrow(/value 10n/);
  });
});

describe('compressRfm with null options', () => {
  it('is a located options error, not "reading \'fn\'"', () => {
    expect(() => compressRfm([], null as never)).toThrow(
      /^compressRfm: .*options must be an object, got null/,
    );
  });
});

describe('bgbbLogLikelihood on hostile arguments', () => {
  it('keeps the published values', () => {
    // Fader, Hardie & Shang (2010) donations fit; see the TSDoc example.
    expect(bgbbLogLikelihood(p, 6, 6, 6)).toBeCloseTo(-2.1822, 4);
    expect(bgbbLogLikelihood(p, 0, 0, 6)).toBeCloseTo(-1.1673, 4);
  });
  it('locates missing or bad parameters instead of a destructuring TypeError', () => {
    expect(() => bgbbLogLikelihood(undefined as never, 0, 0, 1)).toThrow(
      /^bgbbLogLikelihood: .*p must be the BG\/BB parameters/,
    );
    expect(() => bgbbLogLikelihood({ ...p, beta: 10n } as never, 0, 0, 1)).toThrow(
      /beta must be a positive finite number, got 10n/,
    );
    expect(() => bgbbLogLikelihood({ ...p, alpha: 0 }, 0, 0, 1)).toThrow(ValidationError);
  });
  it('rejects histories that are not integers 0 <= x <= tx <= n (NaN came out before) and huge n (a long loop)', () => {
    // x = -962, tx = -750, n = 679 gave a NaN log-likelihood.
    expect(() => bgbbLogLikelihood(p, -962, -750, 679)).toThrow(/need integers 0 <= x <= tx <= n/);
    expect(() => bgbbLogLikelihood(p, 1, 1, Symbol.iterator as never)).toThrow(/got x 1, tx 1, n a symbol/);
    expect(() => bgbbLogLikelihood(p, 1, 1, 1e12)).toThrow(/n <= 1000000/);
  });
});
