/** Hostile and extreme input to the health functions (#18): located ValidationErrors, never a raw exception. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { computeSignals } from '../../src/health/computeSignals';
import { evaluateHealth } from '../../src/health/evaluateHealth';
import { healthHistory } from '../../src/health/healthHistory';
import { parseScorecard } from '../../src/health/parseScorecard';
import { rollupHealth } from '../../src/health/rollupHealth';
import type { HealthGroup, Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { AS_OF, ev } from './_helpers';

const measure = { id: 'l', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } };

function issuesOf(f: () => unknown): { path: (string | number)[]; code: string; message: string }[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return [...(e as ValidationError).issues];
  }
  throw new Error('did not throw');
}

describe('scorecards from hostile JSON', () => {
  it('rejects groups nested 800 deep with a located too_deep issue (no stack overflow)', () => {
    let g: HealthGroup = { id: 'leaf', weight: 1, measures: [measure as never] };
    for (let i = 0; i < 800; i++) g = { id: `g${i}`, weight: 1, groups: [g] };
    const issues = issuesOf(() => parseScorecard({ id: 'deep', groups: [g] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('too_deep');
    expect(issues[0]?.path.length).toBe(2 + 2 * 32); // groups.0 then 32 × groups.0
    expect(issues[0]?.message).toBe('groups are nested more than 32 levels deep');
  });

  it('rejects unknown keys with the closest valid one, at every level', () => {
    const card = {
      id: 'typos',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { ...measure, mising: 'poor' },
            { id: 'p', signal: 'logins', weight: 1, curve: { type: 'percentile', higherIsbetter: false } },
          ],
        },
      ],
    };
    const issues = issuesOf(() =>
      scoreHealth([ev('a', 'login', 1)], { asOf: AS_OF, scorecard: card as never }),
    );
    expect(issues.map((i) => [i.path.join('.'), i.code, i.message])).toEqual([
      ['groups.0.measures.0.mising', 'unknown_key', 'unknown key "mising"; did you mean "missing"?'],
      [
        'groups.0.measures.1.curve.higherIsbetter',
        'unknown_key',
        'unknown key "higherIsbetter"; did you mean "higherIsBetter"?',
      ],
    ]);
  });

  it('bounds weights (1e308 would make every score 0) and other magnitudes', () => {
    const card: Scorecard = {
      id: 'w',
      groups: [
        { id: 'a', weight: 1e308, measures: [measure as never] },
        { id: 'b', weight: 1, measures: [{ ...measure, id: 'l2', weight: 1e308 } as never] },
      ],
    };
    const issues = issuesOf(() => parseScorecard(card));
    expect(issues.map((i) => i.path.join('.'))).toEqual(['groups.0.weight', 'groups.1.measures.0.weight']);
    expect(issues[0]?.message).toMatch(/from 0 to 1e6/);
    // Large but valid weights still give exact, finite scores.
    const ok: Scorecard = {
      id: 'ok',
      groups: [
        { id: 'a', weight: 1e6, measures: [measure as never] },
        { id: 'b', weight: 1, measures: [{ ...measure, id: 'l2' } as never] },
      ],
    };
    const [a] = scoreHealth([ev('a', 'login', 1)], { asOf: AS_OF, scorecard: ok });
    expect(a?.score).toBeCloseTo(10, 9);
  });

  it('rejects a scorecard that is not an object', () => {
    expect(issuesOf(() => parseScorecard(null))[0]?.message).toBe('a scorecard must be an object, got null');
  });
});

describe('hostile arguments and options', () => {
  it('gives ValidationErrors for null or malformed events, never a TypeError', () => {
    expect(() => scoreHealth(null as never, { asOf: AS_OF })).toThrow(ValidationError);
    expect(() => scoreHealth(null as never, { asOf: AS_OF })).toThrow(
      /scoreHealth: events must be an array of events or a Map of timelines, got null/,
    );
    expect(() => scoreHealth([null] as never, { asOf: AS_OF })).toThrow(
      /row 0: each event must be an object/,
    );
    expect(() => scoreHealth([{ customerId: 'a', type: 'login', timestamp: 1e20 }], { asOf: AS_OF })).toThrow(
      /timestamp must be epoch ms within the valid date range/,
    );
    expect(() => healthHistory(undefined as never, { from: AS_OF, to: AS_OF })).toThrow(ValidationError);
    expect(() => evaluateHealth(42 as never, { asOf: AS_OF })).toThrow(ValidationError);
    expect(() => computeSignals({ events: 'x' } as never, { asOf: AS_OF })).toThrow(ValidationError);
    expect(() => rollupHealth(null as never, [])).toThrow(ValidationError);
  });

  it('rejects unknown options with the closest valid one, and non-object options', () => {
    expect(() => scoreHealth([], { asOf: AS_OF, scorcard: {} } as never)).toThrow(
      /scoreHealth: unknown option "scorcard"; did you mean "scorecard"\?/,
    );
    expect(() => scoreHealth([], null as never)).toThrow(/options must be an object, got null/);
    expect(() => healthHistory([], { from: AS_OF, to: AS_OF, evry: 'day' } as never)).toThrow(
      /did you mean "every"\?/,
    );
    expect(() => evaluateHealth([], { asOf: AS_OF, horizn: 30 } as never)).toThrow(
      /did you mean "horizon"\?/,
    );
    expect(() => computeSignals(undefined, { asOf: AS_OF, profil: {} } as never)).toThrow(
      /did you mean "profile"\?/,
    );
    expect(() => rollupHealth([], [], { band: [] } as never)).toThrow(/did you mean "bands"\?/);
  });

  it('rejects dates outside the JS range (asOf 1e20) as located option errors', () => {
    expect(() => scoreHealth([], { asOf: 1e20 })).toThrow(
      /scoreHealth: option "asOf" is (not a valid date|outside the valid date range)/,
    );
    expect(() => healthHistory([], { from: 0, to: 8.7e15 })).toThrow(
      /option "to" is (not a valid date|outside the valid date range)/,
    );
    expect(() => scoreHealth([], { asOf: 'someday' })).toThrow(/option "asOf" is not a valid date/);
    expect(() => scoreHealth([], { asOf: AS_OF, drivers: 1e9 })).toThrow(/option "drivers"/);
  });

  it('scores an empty data set as an empty list with no warning', () => {
    const out = scoreHealth([], { asOf: AS_OF });
    expect(out.length).toBe(0);
    expect(out.warnings).toEqual([]);
  });
});
