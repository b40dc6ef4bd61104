/**
 * The command line's connection to the outside: where results (stdout), notices (stderr) and input
 * (stdin) go. `main` takes an {@link Io} so tests run commands in-process and capture both streams.
 */
import type { Readable } from 'node:stream';

/** A writable text sink that may apply back-pressure. */
export interface TextSink {
  write(text: string): void | Promise<void>;
  /** A terminal (enables colour on stdout, progress on stderr). */
  isTTY?: boolean;
}

/** Streams and environment of one CLI run. */
export interface Io {
  stdout: TextSink;
  stderr: TextSink;
  stdin: Readable | undefined;
  env: Record<string, string | undefined>;
}

/** Thrown for usage problems (exit code 2): unknown option, bad option value, missing file. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Thrown for data problems (exit code 1): too many rejections, empty result, unusable input. */
export class DataProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataProblem';
  }
}

/** Exit codes, documented in `--help`. */
export const EXIT = { ok: 0, data: 1, usage: 2 } as const;

/** Colour on stdout only for a terminal, and never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function colourEnabled(io: Io, sink: TextSink): boolean {
  return sink.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

/** Writes text to a sink, awaiting back-pressure when the sink reports it. */
export async function emit(sink: TextSink, text: string): Promise<void> {
  await sink.write(text);
}

/** An Io bound to the process (the executable entry). */
export function processIo(): Io {
  const wrap = (stream: NodeJS.WriteStream): TextSink => ({
    isTTY: stream.isTTY === true,
    write: (text: string) =>
      new Promise<void>((resolve) => {
        if (stream.write(text)) resolve();
        else stream.once('drain', resolve);
      }),
  });
  return {
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    // Read on use: creating process.stdin costs ~3 ms of every start, and only `-` reads it.
    get stdin(): Readable {
      return process.stdin;
    },
    env: process.env,
  };
}
