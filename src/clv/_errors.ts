import type { z } from 'zod';
import { ValidationError } from '../_lib/errors';

/**
 * A `ValidationError` for an invalid argument or option, from a message of the form
 * `fn: "field" must be ...` (or `fn: option "field" must be ...`): the issue is located at `field`.
 */
export function argumentError(message: string): ValidationError {
  const i = message.indexOf(': ');
  const fn = i > 0 ? message.slice(0, i) : 'customer-vitals/clv';
  const rest = i > 0 ? message.slice(i + 2) : message;
  const m = /^(?:option )?"([^"]+)" (.*)$/s.exec(rest);
  if (m)
    return new ValidationError(
      fn,
      [{ path: [m[1] as string], code: 'invalid_value', message: m[2] as string }],
      'arguments',
    );
  return new ValidationError(fn, [{ path: [], code: 'invalid_value', message: rest }], 'arguments');
}

/**
 * Validates an options object (`undefined` counts as `{}`) with a zod schema; each issue becomes a
 * located `option "field": ...` issue of one `ValidationError` from `fn`.
 */
export function checkOptions(fn: string, schema: z.ZodType, options: unknown): void {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new ValidationError(
      fn,
      parsed.error.issues.map((i) => ({
        path: i.path.map(String),
        code: i.code,
        message: `option "${i.path.join('.')}": ${i.message}`,
      })),
      'options',
    );
  }
}
