import { sqliteStore } from '../support/stores.js';
import { runStorageContract } from './contract.js';

runStorageContract(sqliteStore);
