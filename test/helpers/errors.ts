import { expect } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';

/** The message of the `ValidationError` that `f` throws; fails the test if it throws nothing or another error. */
export function validationMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}
