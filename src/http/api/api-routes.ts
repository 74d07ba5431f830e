import type { DeveloperConsole } from '../../core/console/developer-console.js';
import type { Gatehouse } from '../../gatehouse.js';
import type { SignedIn } from './api-caller.js';

/** What every `/api/v1` route module is given: the services, and how to tell who calls. */
export interface ApiRouteDeps {
  gatehouse: Gatehouse;
  developerConsole: DeveloperConsole;
  signedIn: SignedIn;
}
