export { createWorkerApp } from './app.factory.js';
export { loadWorkerConfig, type WorkerConfig } from './config/env.schema.js';
export { OutboxRelayService } from './outbox/outbox-relay.service.js';
// For bench/transcode.ts: the very plan and ffmpeg arguments the worker uses, to run bare ffmpeg alike.
export { ffmpegArgs, ffprobeArgs } from './transcoding/ffmpeg-transcoder.adapter.js';
export { parseProbe } from './transcoding/parse-probe.js';
export { planTranscode, DEFAULT_PLAN_OPTIONS } from './transcoding/plan-transcode.js';
