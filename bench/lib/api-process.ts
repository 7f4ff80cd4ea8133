// The Isola API as its own process for the benchmarks: built exactly as production builds it
// (createApiApp from apps/api/dist) from the environment, listening on a free port, with a meter of
// the bytes its server reads from sockets. Talks to its parent over IPC:
//   → {port} once listening;  ← 'meter-start' / 'meter-stop' → {bytes};  ← 'close' → exits.
// Started by openApiBench({ process: true }) in ./isola-api.ts.
import type { AddressInfo } from 'node:net';

import { createApiApp } from '../../apps/api/dist/app.factory.js';
import { loadApiConfig } from '../../apps/api/dist/config/env.schema.js';
import { socketBytesMeter } from './meter.ts';

const app = await createApiApp(loadApiConfig(process.env));
await app.init();
await app.listen(0, '127.0.0.1');
const meter = socketBytesMeter(app.getHttpServer());
process.send?.({ port: (app.getHttpServer().address() as AddressInfo).port });
process.on('message', (message: unknown) => {
  if (message === 'meter-start') {
    meter.start();
    process.send?.({ started: true });
  } else if (message === 'meter-stop') {
    process.send?.({ bytes: meter.stop() });
  } else if (message === 'close') {
    void app.close().finally(() => process.exit(0));
  }
});
