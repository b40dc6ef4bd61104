/** Generator options are checked like every other function's (#18 fuzz findings). */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';

describe('generateSaasEvents and generateRetailTransactions options', () => {
  it('reject an array or an unknown key instead of generating the default data set', () => {
    // An array used to be read as "no options": 260,000 events, 1.4 s, for a caller's mistake.
    expect(() => generateSaasEvents([] as never)).toThrow(
      'generateSaasEvents: options must be an object, got an array',
    );
    expect(() => generateSaasEvents({ customer: 5 } as never)).toThrow(
      'generateSaasEvents: unknown option "customer"; did you mean "customers"?',
    );
    expect(() => generateRetailTransactions({ week: 10 } as never)).toThrow(
      'generateRetailTransactions: unknown option "week"; did you mean "weeks"?',
    );
  });

  it('caps generateSaasEvents at 10,000 accounts (a large count is a hang, not a data set)', () => {
    expect(() => generateSaasEvents({ customers: 1e9 })).toThrow(ValidationError);
    expect(() => generateSaasEvents({ customers: 1e9 })).toThrow(/option "customers" must be at most 10000/);
  });

  it('names a hostile params value by kind (a symbol used to throw a TypeError)', () => {
    expect(() => generateRetailTransactions({ params: { r: Symbol.iterator as never } })).toThrow(
      'generateRetailTransactions: option "params.r" must be a positive number, got a symbol',
    );
  });
});
