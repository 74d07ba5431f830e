import { describeCli } from './cli-suite.js';
import { CLI_STORES } from './cli-stores.js';

describeCli(CLI_STORES[1]!);
