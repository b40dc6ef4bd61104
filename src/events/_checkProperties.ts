import type { IssueCode } from '../_lib/errors';

/** Deepest nesting accepted inside `properties` (levels of objects/arrays). */
export const MAX_PROPERTIES_DEPTH = 32;
/** Most values (objects, arrays and leaves) accepted inside one event's `properties`. */
export const MAX_PROPERTIES_NODES = 10_000;

/** A located problem inside `properties`. */
export interface PropertiesProblem {
  path: (string | number)[];
  code: IssueCode;
  message: string;
}

/**
 * Checks that `properties` can be compared, serialised and stored: no BigInt, no circular reference,
 * at most {@link MAX_PROPERTIES_DEPTH} levels and {@link MAX_PROPERTIES_NODES} values. Flat objects
 * (the common case) cost one pass over their own keys and no allocation. Never recurses deeper than
 * the cap, so hostile input (20,000 levels) cannot overflow the stack.
 * @returns null when fine, else the first problem with its path (starting at `properties`).
 */
export function propertiesProblem(props: Record<string, unknown>): PropertiesProblem | null {
  let nested = false;
  for (const k in props) {
    if (!Object.hasOwn(props, k)) continue;
    const v = props[k];
    const t = typeof v;
    if (t === 'bigint') return bigint(['properties', k]);
    if (t === 'object' && v !== null) nested = true;
  }
  if (!nested) return null;
  const budget = { nodes: 0 };
  return walk(props, ['properties'], 0, [], budget);
}

function bigint(path: (string | number)[]): PropertiesProblem {
  return {
    path,
    code: 'invalid_value',
    message: `${path.join('.')} is a BigInt, which cannot be stored or compared; give it as a number or a string`,
  };
}

function walk(
  obj: object,
  path: (string | number)[],
  depth: number,
  ancestors: object[],
  budget: { nodes: number },
): PropertiesProblem | null {
  if (depth >= MAX_PROPERTIES_DEPTH)
    return {
      path,
      code: 'too_deep',
      message: `properties nested deeper than ${MAX_PROPERTIES_DEPTH} levels (at ${path.slice(0, 6).join('.')}…)`,
    };
  if (ancestors.includes(obj))
    return {
      path,
      code: 'invalid_value',
      message: `${path.join('.')} refers back to itself (a circular reference)`,
    };
  ancestors.push(obj);
  const isArray = Array.isArray(obj);
  const keys = isArray ? null : Object.keys(obj);
  const n = isArray ? (obj as unknown[]).length : (keys as string[]).length;
  for (let i = 0; i < n; i++) {
    if (++budget.nodes > MAX_PROPERTIES_NODES)
      return {
        path: ['properties'],
        code: 'too_big',
        message: `properties hold more than ${MAX_PROPERTIES_NODES} values`,
      };
    const key: string | number = isArray ? i : ((keys as string[])[i] as string);
    const v = (obj as Record<string | number, unknown>)[key];
    if (typeof v === 'bigint') return bigint([...path, key]);
    if (typeof v === 'object' && v !== null) {
      const p = walk(v, [...path, key], depth + 1, ancestors, budget);
      if (p !== null) return p;
    }
  }
  ancestors.pop();
  return null;
}
