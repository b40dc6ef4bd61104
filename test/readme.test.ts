import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vocabularyTable } from '../scripts/vocabulary-table';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('has the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
  it('shows the event vocabulary table generated from EVENT_VOCABULARY', () => {
    const start = readme.indexOf('<!-- vocabulary:start -->');
    const end = readme.indexOf('<!-- vocabulary:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + '<!-- vocabulary:start -->'.length, end).trim()).toBe(vocabularyTable());
  });
});
