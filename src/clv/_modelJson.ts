import * as z from 'zod';
import { ValidationError, zodIssues } from '../_lib/errors';
import type { FitDiagnostics } from './types';

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
    throw new ValidationError(fn, zodIssues(res.error), 'model JSON');
  }
  return res.data;
}

/** Serialised form shared by the fitted models: `model` tag, parameters and fit diagnostics. */
export interface ModelJSON<M extends string, P> {
  model: M;
  version: 1;
  params: P;
  logLikelihood: number;
  standardErrors: Record<string, number | null>;
  iterations: number;
  customers: number;
}

/** Fields and constructor shared by the fitted model classes, and the body of their `toJSON()`. */
export abstract class FittedModel<P extends object> implements FitDiagnostics {
  readonly params: Readonly<P>;
  readonly logLikelihood: number;
  readonly standardErrors: Record<string, number | null>;
  readonly converged = true;
  readonly iterations: number;
  readonly customers: number;

  constructor(params: P, diag: Omit<FitDiagnostics, 'converged'>) {
    this.params = Object.freeze({ ...params });
    this.logLikelihood = diag.logLikelihood;
    this.standardErrors = { ...diag.standardErrors };
    this.iterations = diag.iterations;
    this.customers = diag.customers;
  }

  /** `toJSON()` without the `model` tag and `version` (copies, so the model stays frozen). */
  protected jsonBody(): Omit<ModelJSON<string, P>, 'model' | 'version'> {
    return {
      params: { ...this.params } as P,
      logLikelihood: this.logLikelihood,
      standardErrors: { ...this.standardErrors },
      iterations: this.iterations,
      customers: this.customers,
    };
  }
}
