import type { MediaProbe } from './media-probe.js';
import type { TranscodeStep } from './plan-transcode.js';

/** What media code logs through: Nest's `Logger` fits, so does a test's recorder. */
export interface MediaLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Called with the child process id as soon as it runs (the scratch space records it). */
  onSpawn?: (pid: number) => void;
}

export interface RunOptions extends ProbeOptions {
  /** A presigned GET URL (ffmpeg reads HTTP itself) or a local path. */
  input: string;
  /** Absolute path of the file to write. */
  output: string;
  /** 0…1 through the step, when the step reports progress (see `TranscodeStep.progressDurationMs`). */
  onProgress?: (fraction: number) => void;
  logger?: MediaLogger;
}

/**
 * Probing and transcoding (ffprobe/ffmpeg behind it). The only port that runs media tools; the
 * adapter is the only file that spawns them.
 */
export abstract class Transcoder {
  /** Reads a file's streams and format. Throws `TranscoderError`. */
  abstract probe(input: string, options?: ProbeOptions): Promise<MediaProbe>;

  /** Runs one planned step from `input` to `output`. Throws `TranscoderError`; an aborted run is killed. */
  abstract run(step: TranscodeStep, options: RunOptions): Promise<void>;
}

export type TranscoderErrorKind =
  | 'input-denied'
  | 'input-not-found'
  | 'input-unavailable'
  | 'corrupt'
  /** The signal aborted the run (shutdown, job cancelled); the process was killed. */
  | 'aborted'
  /** Anything else (the tool crashed, an unexpected message). */
  | 'failed';

/** A tool failure. The message has URLs' query strings removed: safe to log and store. */
export class TranscoderError extends Error {
  override readonly name = 'TranscoderError';

  constructor(
    readonly kind: TranscoderErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function isTranscoderError(error: unknown): error is TranscoderError {
  return error instanceof TranscoderError;
}
