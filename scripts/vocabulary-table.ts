/** Prints the README's event vocabulary table from EVENT_VOCABULARY (`npx tsx scripts/vocabulary-table.ts`). */
import { EVENT_VOCABULARY } from '../src/events/vocabulary';

export function vocabularyTable(): string {
  const rows = EVENT_VOCABULARY.map(
    (s) =>
      `| \`${s.type}\` | ${s.value ?? '—'} | ${s.properties.length ? s.properties.map((p) => `\`${p}\``).join(', ') : '—'} | ${s.rule ?? '—'} | ${s.description} |`,
  );
  return [
    '| type | `value` | `properties` | checked by `parseEvents` | meaning |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(vocabularyTable());
