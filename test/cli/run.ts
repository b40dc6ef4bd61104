/** Runs the CLI in-process with captured stdout/stderr and an optional stdin text. */
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  args: string[],
  options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: {
      isTTY: options.tty ?? false,
      write: (t) => {
        stdout += t;
      },
    },
    stderr: {
      isTTY: options.tty ?? false,
      write: (t) => {
        stderr += t;
      },
    },
    stdin: options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin)]),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
