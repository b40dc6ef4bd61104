/** Executable entry of the `customer-vitals` command (bin). See `main.ts`. */
import { main } from './main';

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
