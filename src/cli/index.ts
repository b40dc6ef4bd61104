/** Executable entry of the `customer-vitals` command (bin). See `main.ts`. */
import { main } from './main';

// `customer-vitals health x | head` closes the pipe early: end quietly, as Unix tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `customer-vitals: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
