import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../src/_lib/errors';

describe('docs/errors.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  it('documents every issue code, and only those', () => {
    expect([...documented].sort()).toEqual([...ISSUE_CODES].sort());
  });
});
