import { execFile, type ExecFileException } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import {
  classifyFfmpegFailure,
  indicatesTruncatedInput,
  isStatsLine,
  redactUrls,
  statsTimeMs,
  type FfmpegFailureKind,
} from './ffmpeg-output.js';
import type { MediaProbe } from './media-probe.js';
import { parseProbe, ProbeParseError } from './parse-probe.js';
import type { TranscodeStep } from './plan-transcode.js';
import { Transcoder, TranscoderError, type ProbeOptions, type RunOptions } from './transcoder.port.js';

export interface FfmpegTranscoderOptions {
  ffmpegPath: string;
  ffprobePath: string;
  /** A probe taking longer is killed (a stalled HTTP read). */
  probeTimeoutMs: number;
}

/**
 * ffmpeg over HTTP stops a read that makes no progress for this long (`-rw_timeout`, µs) instead of
 * hanging the job: the failure is then retried like any network error.
 */
export const HTTP_RW_TIMEOUT_US = 30_000_000;

/** How the worker talks to ffmpeg: no stdin, errors only, plus `-stats` progress lines. */
export const FFMPEG_GLOBAL_OPTIONS = ['-nostdin', '-hide_banner', '-v', 'error', '-stats'] as const;

const isHttp = (input: string) => /^https?:\/\//i.test(input);
const httpOptions = (input: string) => (isHttp(input) ? ['-rw_timeout', String(HTTP_RW_TIMEOUT_US)] : []);

/** ffprobe's full argument list for `input`. */
export function ffprobeArgs(input: string): string[] {
  return [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    // the first packet's frame: still images carry their EXIF orientation there
    '-show_frames',
    '-read_intervals',
    '%+#1',
    ...httpOptions(input),
    input,
  ];
}

/** ffmpeg's full argument list for one planned step: exactly what is spawned (see the spec). */
export function ffmpegArgs(step: TranscodeStep, input: string, output: string): string[] {
  return [...ffmpegInputOptions(step, input), '-i', input, '-y', ...step.outputOptions, output];
}

function ffmpegInputOptions(step: TranscodeStep, input: string): string[] {
  return [...FFMPEG_GLOBAL_OPTIONS, ...httpOptions(input), ...step.inputOptions];
}

/**
 * Builds the fluent-ffmpeg command for a step. fluent-ffmpeg splits a lone array item holding one
 * space into two options, so options are always passed as separate arguments.
 */
export function buildFfmpegCommand(step: TranscodeStep, input: string, output: string): ffmpeg.FfmpegCommand {
  const command = ffmpeg({ stdoutLines: 20 }).input(input);
  const inputOptions = ffmpegInputOptions(step, input);
  if (inputOptions.length > 0) command.inputOptions(...(inputOptions as [string, ...string[]]));
  command.output(output);
  if (step.outputOptions.length > 0) command.outputOptions(...(step.outputOptions as [string, ...string[]]));
  return command;
}

/**
 * `Transcoder` over Debian's ffmpeg/ffprobe: ffmpeg through fluent-ffmpeg (progress from `-stats`,
 * kill on abort), ffprobe spawned directly for its JSON output. The only file that runs them.
 */
export class FfmpegTranscoder extends Transcoder {
  constructor(private readonly options: FfmpegTranscoderOptions) {
    super();
  }

  async probe(input: string, options: ProbeOptions = {}): Promise<MediaProbe> {
    const signals = [AbortSignal.timeout(this.options.probeTimeoutMs), ...(options.signal ? [options.signal] : [])];
    const { stdout, stderr, error } = await new Promise<{ stdout: string; stderr: string; error: ExecFileException | null }>((resolve) => {
      const child = execFile(
        this.options.ffprobePath,
        ffprobeArgs(input),
        { signal: AbortSignal.any(signals), killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' },
        (err, out, errOut) => resolve({ stdout: out, stderr: errOut, error: err }),
      );
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    });
    if (error !== null) {
      if (options.signal?.aborted) throw new TranscoderError('aborted', 'ffprobe was stopped: the job was aborted');
      if (error.name === 'AbortError') {
        throw new TranscoderError('input-unavailable', `ffprobe gave no answer within ${this.options.probeTimeoutMs} ms`);
      }
      if (error.code === 'ENOENT') throw new TranscoderError('failed', `ffprobe not found at ${this.options.ffprobePath}`);
      throw new TranscoderError(
        toErrorKind(classifyFfmpegFailure(stderr)),
        `ffprobe failed: ${summarise(stderr) || redactUrls(error.message)}`,
      );
    }
    try {
      return parseProbe(JSON.parse(stdout));
    } catch (parseError) {
      const why = parseError instanceof ProbeParseError ? parseError.message : 'ffprobe printed no JSON';
      throw new TranscoderError('failed', why);
    }
  }

  run(step: TranscodeStep, options: RunOptions): Promise<void> {
    const { input, output, signal, onProgress, onSpawn, logger } = options;
    if (signal?.aborted) return Promise.reject(new TranscoderError('aborted', `${step.rendition}: not started, the job was aborted`));
    const command = buildFfmpegCommand(step, input, output);
    command.setFfmpegPath(this.options.ffmpegPath);
    const errorLines: string[] = [];

    return new Promise<void>((resolve, reject) => {
      const abort = () => command.kill('SIGKILL');
      signal?.addEventListener('abort', abort, { once: true });
      const settle = (error?: TranscoderError) => {
        signal?.removeEventListener('abort', abort);
        if (error) reject(error);
        else resolve();
      };

      command.on('start', () => {
        const pid = (command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
        if (pid !== undefined) onSpawn?.(pid);
        if (signal?.aborted) abort(); // aborted while fluent-ffmpeg was still preparing the command
        logger?.debug(`ffmpeg started for ${step.rendition}`);
      });
      command.on('stderr', (line: string) => {
        if (isStatsLine(line)) {
          const reached = statsTimeMs(line);
          if (reached !== null && step.progressDurationMs) onProgress?.(Math.min(1, reached / step.progressDurationMs));
          return;
        }
        if (line.trim() === '') return;
        errorLines.push(redactUrls(line));
        if (errorLines.length > 40) errorLines.shift();
      });
      command.on('error', (error: Error) => {
        if (signal?.aborted) return settle(new TranscoderError('aborted', `${step.rendition}: ffmpeg was stopped, the job was aborted`));
        const lines = errorLines.join('\n');
        const kind = toErrorKind(classifyFfmpegFailure(lines));
        settle(new TranscoderError(kind, `${step.rendition}: ${summarise(lines) || redactUrls(error.message)}`));
      });
      command.on('end', () => {
        const lines = errorLines.join('\n');
        if (indicatesTruncatedInput(lines)) {
          return settle(new TranscoderError('corrupt', `${step.rendition}: the source ends early (${summarise(lines)})`));
        }
        if (lines !== '') logger?.warn(`ffmpeg reported while making ${step.rendition}: ${summarise(lines)}`);
        onProgress?.(1);
        settle();
      });
      command.run();
    });
  }
}

function toErrorKind(kind: FfmpegFailureKind): TranscoderError['kind'] {
  return kind === 'unknown' ? 'failed' : kind;
}

/** The last few distinct error lines, redacted, on one line. */
function summarise(stderr: string): string {
  const lines = redactUrls(stderr)
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !isStatsLine(l));
  return [...new Set(lines)].slice(-4).join(' | ').slice(0, 1000);
}
