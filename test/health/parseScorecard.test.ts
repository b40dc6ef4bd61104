import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { defaultScorecard } from '../../src/health/defaultScorecard';
import { HEALTH_SIGNALS } from '../../src/health/healthSignals';
import { parseScorecard } from '../../src/health/parseScorecard';

describe('parseScorecard', () => {
  it('accepts the default scorecard after a JSON round trip, with global weights summing to 100%', () => {
    const card = parseScorecard(JSON.parse(JSON.stringify(defaultScorecard)));
    expect(card).toEqual(defaultScorecard);
    const groups = defaultScorecard.groups;
    expect(groups.reduce((s, g) => s + g.weight, 0)).toBe(100);
    // Every signal of the default scorecard is a documented built-in.
    for (const g of groups)
      for (const m of g.measures ?? []) expect(Object.hasOwn(HEALTH_SIGNALS, m.signal)).toBe(true);
  });

  it('validates scorecard sets and their conditions', () => {
    const set = {
      rules: [
        {
          when: { tenureDays: { max: 60 }, attributes: { region: ['emea', 'na'] } },
          scorecard: { ...defaultScorecard, id: 'onb' },
        },
      ],
      default: defaultScorecard,
    };
    expect(parseScorecard(set)).toEqual(set);
    expect(() =>
      parseScorecard({ rules: [{ when: {}, scorecard: defaultScorecard }], default: defaultScorecard }),
    ).toThrow(/duplicate scorecard id "default"/);
  });

  it('lists every located issue: shape, bands, unknown and shadowed signals', () => {
    const bad = {
      id: 'b',
      bands: [
        { label: 'low', min: 10 },
        { label: 'high', min: 5 },
      ],
      groups: [
        {
          id: 'g',
          weight: -1,
          measures: [{ id: 'm', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 1 } }],
        },
      ],
    };
    try {
      parseScorecard(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['groups.0.weight']);
    }
    const badBands = { ...bad, groups: [{ ...bad.groups[0], weight: 1 }] };
    try {
      parseScorecard(badBands, { signals: { logins: () => 1 } });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => `${i.path.join('.')}:${i.code}`)).toEqual([
        'groups.0.measures.0.signal:signal_conflict',
        'bands.0.min:invalid_band',
        'bands.1.min:not_ascending',
      ]);
      expect((e as Error).message).toMatch(/^parseScorecard: invalid scorecard: /);
    }
  });
});
