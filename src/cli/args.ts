/**
 * Argument parsing for the CLI: one small parser with messages that name the option, suggest the
 * closest valid option for a typo, and point to the command's `--help`.
 */
import { closestName } from '../_lib/closest';
import { isCurrencyCode } from '../_lib/format';
import { toEpochMs } from '../_lib/time';
import { UsageError } from './io';

/** One option of a command. */
export interface OptionSpec {
  name: string;
  short?: string;
  /** `boolean` options take no value. */
  type: 'boolean' | 'string';
  /** Placeholder shown in help, e.g. `FILE`. */
  arg?: string;
  help: string;
  default?: string;
}

/** A parsed command line. */
export interface ParsedArgs {
  values: Map<string, string | true>;
  positionals: string[];
}

/** Parses `argv` against `specs`; throws {@link UsageError} with a suggestion on unknown options. */
export function parseArgv(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  const where = command === '' ? 'customer-vitals --help' : `customer-vitals ${command} --help`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      inline = eq === -1 ? undefined : a.slice(eq + 1);
      spec = byName.get(name);
      if (spec === undefined) {
        const near = closestName(name, byName.keys());
        throw new UsageError(
          `unknown option --${name}${near ? `; did you mean --${near}?` : ''} (see ${where})`,
          command,
        );
      }
    } else {
      spec = byShort.get(a.slice(1, 2));
      if (spec === undefined || (a.length > 2 && spec.type === 'boolean')) {
        throw new UsageError(`unknown option ${a} (see ${where})`, command);
      }
      if (a.length > 2) inline = a.slice(2);
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined)
        throw new UsageError(`option --${spec.name} takes no value (see ${where})`, command);
      values.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(
          `option --${spec.name} needs a value${spec.arg ? ` (${spec.arg})` : ''} (see ${where})`,
          command,
        );
      }
      value = next;
      i++;
    }
    values.set(spec.name, value);
  }
  for (const s of specs) if (s.default !== undefined && !values.has(s.name)) values.set(s.name, s.default);
  return { values, positionals };
}

/** Typed access to option values, each validated with a message naming the option. */
export class Options {
  constructor(
    readonly parsed: ParsedArgs,
    readonly command: string,
  ) {}

  private fail(name: string, value: string, want: string): never {
    throw new UsageError(
      `option --${name}: "${value}" is not ${want} (see customer-vitals ${this.command} --help)`,
      this.command,
    );
  }

  has(name: string): boolean {
    return this.parsed.values.has(name);
  }

  flag(name: string): boolean {
    return this.parsed.values.get(name) === true;
  }

  string(name: string): string | undefined {
    const v = this.parsed.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** An integer ≥ `min`. */
  int(name: string, min: number): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!/^\s*[+]?\d+\s*$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      this.fail(name, v, `a whole number ≥ ${min}`);
    }
    return Number(v);
  }

  /** A date (ISO 8601 or epoch ms), as epoch ms. */
  date(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const t = toEpochMs(/^\d+$/.test(v) ? Number(v) : v);
    if (t === null) this.fail(name, v, 'a valid date (ISO 8601, e.g. 2025-06-30)');
    return t;
  }

  /** An ISO 4217 currency code (`EUR`), upper-cased. */
  currency(name: string): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const code = v.trim().toUpperCase();
    if (!isCurrencyCode(code)) this.fail(name, v, 'an ISO 4217 currency code (e.g. EUR, USD, GBP)');
    return code;
  }

  /** One of a fixed list of values. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) {
      const near = closestName(v, choices);
      this.fail(name, v, `one of ${choices.join(', ')}${near ? `; did you mean ${near}?` : ''}`);
    }
    return v as T;
  }

  /** A count (`12`) or a share of rows (`5%`). */
  limit(name: string): { count: number } | { share: number } | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (pct) {
      const share = Number(pct[1]) / 100;
      if (share > 1) this.fail(name, v, 'a count (e.g. 10) or a percentage up to 100% (e.g. 5%)');
      return { share };
    }
    if (/^\s*\d+\s*$/.test(v)) return { count: Number(v) };
    return this.fail(name, v, 'a count (e.g. 10) or a percentage (e.g. 5%)');
  }
}
