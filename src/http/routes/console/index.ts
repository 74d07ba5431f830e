import type { FastifyInstance } from 'fastify';
import { refuseNulInPathParameters } from '../../path-params.js';
import type { BrowserContext } from '../../browser/browser-context.js';
import { adminRoutes } from './admin-routes.js';
import { clientRoutes } from './client-routes.js';
import { clientTabRoutes } from './client-tab-routes.js';
import { consoleRoutesContext } from './console-request.js';

/** The developer console's pages at /developer-console, over the same DeveloperConsole service as /api/v1. */
export function developerConsoleRoutes(app: FastifyInstance, browser: BrowserContext): void {
  const context = consoleRoutesContext(browser);
  refuseNulInPathParameters(app);
  clientRoutes(app, context);
  clientTabRoutes(app, context);
  adminRoutes(app, context);
}
