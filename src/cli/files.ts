/** Small JSON config files (mapping, scorecard): BOM tolerated, every error names the file. */
import { readFileSync } from 'node:fs';
import { UsageError } from './io';

/** Reads and parses a JSON file; a missing file or bad JSON is a {@link UsageError} naming it. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`the ${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}
