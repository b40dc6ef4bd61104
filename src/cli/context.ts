/** What every command receives: its options, the streams, and helpers for notices and warnings. */
import type { VitalsWarning } from '../types';
import type { Options } from './args';
import type { Io } from './io';
import type { Progress } from './progress';
import { escapeControl } from './text';

/** The run context of one command. */
export class Context {
  constructor(
    readonly command: string,
    readonly opts: Options,
    readonly io: Io,
    readonly progress: Progress,
  ) {}

  get quiet(): boolean {
    return this.opts.flag('quiet');
  }

  /** An informational line on stderr (silenced by --quiet). */
  async notice(text: string): Promise<void> {
    if (!this.quiet) await this.io.stderr.write(`${escapeControl(text)}\n`);
  }

  /** A warning on stderr (always shown). */
  async warn(w: VitalsWarning): Promise<void> {
    await this.io.stderr.write(`warning [${escapeControl(w.code)}]: ${escapeControl(w.message)}\n`);
  }
}
