/**
 * Constants built on first use instead of at module load (#14, cold start).
 * @module
 */

/**
 * Wraps the construction of an immutable constant (typically a zod schema) so it runs on the first
 * call of the returned getter instead of when the module is loaded; later calls return the same
 * value. A process (the CLI, a server importing the package root) then builds only the constants of
 * the functions it calls: building the package's zod schemas at load cost ~10-15 ms of every start.
 *
 * This is a memoised constant, not a cache: `build` takes no arguments, so the value depends on
 * nothing a caller passes, and it is built once per process like any module-level constant. Never use
 * it to keep per-call data (inputs, results, scratch buffers); the value must never be mutated.
 * If `build` throws, nothing is kept and the next call runs it again.
 *
 * @param build Builds the constant; called at most once successfully, with no arguments.
 * @returns A getter returning the constant (built on its first call).
 * @example
 * ```ts
 * const pointSchema = lazy(() => z.strictObject({ x: z.number(), y: z.number() }));
 * // Nothing is built until the first call:
 * pointSchema().parse({ x: 1, y: 2 }); // => { x: 1, y: 2 }
 * pointSchema() === pointSchema(); // => true (built once)
 * ```
 */
export function lazy<T>(build: () => T): () => T {
  let built = false;
  let value: T | undefined;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
