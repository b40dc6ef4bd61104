import { z } from 'zod';
import { ValidationError } from '../_lib/errors';

const positive = z.number().positive().finite();

/** zod schema of a serialised model with the given parameter names and `model` tag. */
export function modelSchema<K extends string>(model: string, names: readonly K[]) {
  const shape = {} as Record<K, typeof positive>;
  const seShape = {} as Record<K, z.ZodNullable<z.ZodNumber>>;
  for (const k of names) {
    shape[k] = positive;
    seShape[k] = z.number().nonnegative().finite().nullable();
  }
  return z.object({
    model: z.literal(model),
    version: z.literal(1),
    params: z.object(shape).strict(),
    logLikelihood: z.number().finite(),
    standardErrors: z.object(seShape).strict(),
    iterations: z.number().int().nonnegative(),
    customers: z.number().nonnegative().finite(),
  });
}

/** Parses with a schema and turns zod issues into a located ValidationError. */
export function parseModelJson<T>(fn: string, schema: z.ZodType<T>, json: unknown): T {
  const res = schema.safeParse(json);
  if (!res.success) {
    throw new ValidationError(
      fn,
      res.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        code: i.code,
        message: i.message,
      })),
      'model JSON',
    );
  }
  return res.data;
}
