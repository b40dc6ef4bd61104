import { describe, expect, it } from 'vitest';
import { splitSensitive } from '../../src/fairness/splitSensitive';

describe('splitSensitive', () => {
  it('takes the attribute out and keeps it aside as group labels', () => {
    const { rows, groups } = splitSensitive(
      [
        { features: { region: 'eu', seats: 3 }, churned: false },
        { features: { seats: 1 }, churned: true },
      ],
      'region',
    );
    expect(rows.map((r) => ({ ...r.features }))).toEqual([{ seats: 3 }, { seats: 1 }]);
    expect(groups).toEqual(['eu', '(missing)']);
  });

  it('writes NaN/±Infinity in the copies as null (missing), not non-finite numbers (#18 fuzz)', () => {
    // Fuzz: splitSensitive([{ ..., frequency: -Infinity, ... }], ...) returned rows[0].frequency = -Infinity.
    const input = [
      { customerId: 'a', features: { x: Number.NaN, y: 2, g: 'b' }, churned: true, frequency: -Infinity },
    ];
    const { rows, groups } = splitSensitive(input, 'g');
    expect(rows[0]).toMatchObject({ customerId: 'a', churned: true, frequency: null });
    expect({ ...rows[0]?.features }).toEqual({ x: null, y: 2 });
    expect(groups).toEqual(['b']);
    expect(input[0]?.frequency).toBe(-Infinity); // the caller's rows are not changed
  });

  it('keeps an own "__proto__" field a plain field while nulling it', () => {
    const row = JSON.parse('{"features":{"g":"a"},"churned":false,"__proto__":NaN}'.replace('NaN', '1e999'));
    const { rows } = splitSensitive([row], 'g');
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value).toBeNull();
  });

  it('rejects an attribute value that is an object or a symbol (was String()-ed, or a TypeError)', () => {
    expect(() => splitSensitive([{ features: { g: { toString: null } }, churned: false }], 'g')).toThrow(
      /^splitSensitive: .*the attribute must be a string, number or boolean, got an object/,
    );
  });
});
