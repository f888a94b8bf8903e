// What the gateway needs from the composed app. The route state is swapped atomically on every rescan (SPEC §2.1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from '../discovery/types.js';
import type { Router } from '../router/types.js';
import type { Settings } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Invoker } from '../invoke/index.js';
import type { RuntimeHost } from '../runtime-host/index.js';
import type { ProxyTrust, ClientInfo } from './client.js';

export interface RouteState {
  catalog: Catalog;
  router: Router;
}

export interface RequestInfo {
  requestId: string;
  /** Arrival, epoch ms. */
  t0: number;
  /** Arrival, performance.now() (latency measurements). */
  t0Perf: number;
  method: string;
  /** Sanitised, decoded path. */
  path: string;
  rawPath: string;
  queryString: string;
  client: ClientInfo;
  host: string;
}

export interface GatewayContext {
  settings: Settings;
  logger: Logger;
  invoker: Invoker;
  host: RuntimeHost;
  trust: ProxyTrust;
  routes(): RouteState;
  /** Resolves once the first route table is built; undefined once it is (no await on the hot path). */
  whenReady(): Promise<void> | undefined;
  /** `/_fn/*`, `/openapi.json`, `/system/metrics`: answers and returns the status. */
  platform(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<number>;
}
