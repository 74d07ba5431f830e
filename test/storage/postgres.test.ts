import { postgresStore } from '../support/stores.js';
import { runStorageContract } from './contract.js';

runStorageContract(postgresStore);
