import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * Keep-alive HTTP(S) agents shared by every SDK client an `S3ObjectStoreFactory` makes. Isola builds
 * one client per short-lived credential (one per media during a migration, per purpose and target
 * elsewhere); with the SDK's default, each client opened its own connections — a TCP (on AWS, TLS)
 * handshake per credential. S3 signs every request, not the connection, so one pool serves them all.
 *
 * A client's `destroy()` destroys its handler's agents: here that is a no-op, so one store dropped
 * never cuts another store's requests; `close()` ends the sockets when the factory itself is destroyed.
 */
export interface SharedAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  close(): void;
}

class SharedHttpAgent extends HttpAgent {
  override destroy(): void {
    // shared: only `close()` ends it
  }
  close(): void {
    super.destroy();
  }
}

class SharedHttpsAgent extends HttpsAgent {
  override destroy(): void {
    // shared: only `close()` ends it
  }
  close(): void {
    super.destroy();
  }
}

/** `maxSockets` per origin, as the SDK's own default (50). */
export function createSharedAgents(maxSockets = 50): SharedAgents {
  const options: AgentOptions = { keepAlive: true, maxSockets };
  const http = new SharedHttpAgent(options);
  const https = new SharedHttpsAgent(options);
  return {
    http,
    https,
    close: () => {
      http.close();
      https.close();
    },
  };
}
