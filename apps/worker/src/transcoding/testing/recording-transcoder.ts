import { writeFile } from 'node:fs/promises';
import type { MediaProbe } from '../media-probe.js';
import type { TranscodeStep } from '../plan-transcode.js';
import { Transcoder, TranscoderError, type ProbeOptions, type RunOptions } from '../transcoder.port.js';

/**
 * A `Transcoder` for service tests: answers probes with what it is told, "runs" a step by writing a
 * small file, records every call, and fails on demand.
 */
export class RecordingTranscoder extends Transcoder {
  readonly probes: string[] = [];
  readonly runs: { rendition: string; input: string; output: string }[] = [];
  /** Probe of the source (any input that is not a file it wrote). */
  sourceProbe: MediaProbe | TranscoderError | undefined;
  /** A step that fails, and how. */
  failStep: { rendition: string; error: TranscoderError } | undefined;
  private readonly written = new Map<string, MediaProbe>();

  async probe(input: string, options: ProbeOptions = {}): Promise<MediaProbe> {
    this.probes.push(input);
    if (options.signal?.aborted) throw new TranscoderError('aborted', 'aborted');
    const made = this.written.get(input);
    if (made !== undefined) return made;
    if (this.sourceProbe === undefined) throw new Error('RecordingTranscoder: no source probe set');
    if (this.sourceProbe instanceof TranscoderError) throw this.sourceProbe;
    return this.sourceProbe;
  }

  async run(step: TranscodeStep, options: RunOptions): Promise<void> {
    this.runs.push({ rendition: step.rendition, input: options.input, output: options.output });
    if (options.signal?.aborted) throw new TranscoderError('aborted', 'aborted');
    if (this.failStep?.rendition === step.rendition) throw this.failStep.error;
    options.onSpawn?.(process.pid);
    options.onProgress?.(0.5);
    await writeFile(options.output, `${step.rendition} made from ${options.input}`);
    options.onProgress?.(1);
    this.written.set(options.output, {
      formatName: 'image2',
      durationMs: null,
      video: {
        index: 0,
        codec: 'mjpeg',
        width: 32,
        height: 24,
        sampleAspect: { num: 1, den: 1 },
        rotation: 0,
        frameRate: null,
        frameCount: 1,
      },
      audio: null,
      hasCoverArt: false,
      exifOrientation: 1,
    });
  }
}
