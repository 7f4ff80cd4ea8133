import { Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { FfmpegTranscoder } from './ffmpeg-transcoder.adapter.js';
import { ScratchSpace } from './scratch-space.js';
import { TranscodeCredentials } from './transcode-credentials.service.js';
import { TranscodeGrantsRepository } from './transcode-grants.repository.js';
import { TranscodeProcessor } from './transcode.processor.js';
import { TranscodeRepository } from './transcode.repository.js';
import { TranscodeService } from './transcode.service.js';
import { Transcoder } from './transcoder.port.js';

/** Sweeps scratch left by dead workers before any job runs; removes this process's folder on shutdown. */
@Injectable()
class ScratchSpaceLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly scratch: ScratchSpace,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.transcode.enabled) await this.scratch.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scratch.stop();
  }
}

/** Media.Transcode: grant → credentials → hash → probe → plan → ffmpeg → renditions in the studio's bucket. */
@Module({
  providers: [
    TranscodeGrantsRepository,
    TranscodeRepository,
    TranscodeCredentials,
    TranscodeService,
    TranscodeProcessor,
    ScratchSpaceLifecycle,
    {
      provide: Transcoder,
      inject: [WORKER_CONFIG],
      useFactory: (config: WorkerConfig) =>
        new FfmpegTranscoder({
          ffmpegPath: config.transcode.ffmpegPath,
          ffprobePath: config.transcode.ffprobePath,
          probeTimeoutMs: config.transcode.probeTimeoutMs,
        }),
    },
    {
      provide: ScratchSpace,
      inject: [WORKER_CONFIG],
      useFactory: (config: WorkerConfig) => {
        const logger = new Logger(ScratchSpace.name);
        return new ScratchSpace({
          root: config.transcode.scratchDir,
          logger: { debug: (m) => logger.debug(m), warn: (m) => logger.warn(m) },
        });
      },
    },
  ],
  exports: [TranscodeService, TranscodeCredentials, ScratchSpace],
})
export class TranscodingModule {}
