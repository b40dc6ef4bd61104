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

/**
 * An object that stands for the result of `build`, built on first use: every operation on it (reading
 * a property or method, `in`, `Object.keys`, `instanceof`, writing) is forwarded to the object
 * `build` returns, built at the first such operation. It has the built object's type, so an exported
 * constant (a public zod schema such as `EventSchema`) keeps its exact type and behaviour while the
 * module that exports it builds nothing at load. Methods read through it are the built object's own
 * (zod binds its methods to the schema), and `this` inside a getter is the built object.
 *
 * Same rule as {@link lazy}: an immutable constant built once, never per-call data. Identity differs:
 * the stand-in is not `===` to the built object. Parsing and zod's methods do not depend on it; a
 * registry keyed by object (a `WeakMap`, `z.globalRegistry`) sees the two as different keys.
 * Give module-level calls a `@__PURE__` annotation comment so that bundlers drop the stand-ins an
 * app does not use.
 *
 * @param build Builds the object; called once, on the first operation on the stand-in.
 * @returns The stand-in, typed as the built object.
 * @example
 * ```ts
 * const PointSchema = lazyObject(() => z.strictObject({ x: z.number(), y: z.number() }));
 * PointSchema.parse({ x: 1, y: 2 }); // => { x: 1, y: 2 }
 * PointSchema instanceof z.ZodObject; // => true
 * Object.keys(PointSchema.shape); // => ['x', 'y']
 * ```
 */
export function lazyObject<T extends object>(build: () => T): T {
  const target = lazy(build);
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      // The stand-in's own (empty, extensible) target has no such property: a proxy may report it
      // only as configurable.
      if (d !== undefined) d.configurable = true;
      return d;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
