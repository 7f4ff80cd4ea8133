export { createWorkerApp } from './app.factory.js';
export { loadWorkerConfig, type WorkerConfig } from './config/env.schema.js';
export { OutboxRelayService } from './outbox/outbox-relay.service.js';
