// Platform paths (SPEC §9.1 step 3): the public health endpoints now; the guarded admin API arrives with its own
// feature. Anything else under /_fn answers 404 `not found`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FnError } from '../errors/catalog.js';
import { writeError, writeJson } from '../gateway/respond.js';
import type { RequestInfo } from '../gateway/context.js';
import { healthJson, readyJson, type HealthSource } from './health.js';

export function platformHandler(src: HealthSource) {
  return async (_req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<number> => {
    const head = info.method === 'HEAD';
    const getLike = info.method === 'GET' || head;
    switch (info.path) {
      case '/_fn/health':
      case '/system/metrics':
        if (!getLike) return writeError(res, new FnError('METHOD_NOT_ALLOWED'), { allow: 'GET' }, head);
        return writeJson(res, 200, healthJson(src), head);
      case '/_fn/ready': {
        if (!getLike) return writeError(res, new FnError('METHOD_NOT_ALLOWED'), { allow: 'GET' }, head);
        const r = readyJson(src);
        return writeJson(res, r.ready ? 200 : 503, r.body, head);
      }
      case '/_fn/openapi.json':
      case '/openapi.json':
      case '/_fn/docs':
        if (!src.settings.docsEnabled) return writeError(res, new FnError('DOCS_DISABLED'), {}, head);
        return writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head);
      default:
        return writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head);
    }
  };
}
