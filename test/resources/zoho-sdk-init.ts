import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';
import type { User } from '../../src/core/users/user.js';
import type { Harness } from '../support/harness.js';

/** The scopes the SDK's start-up calls and the Leads operations need. */
const SDK_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.settings.ALL';

/**
 * A folder of its own for the suite this is called in, made before its tests and removed after them: the SDK keeps its
 * token file and resources there. Returns the folder's path once the tests run.
 */
export function sdkFolder(prefix: string): () => string {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/**
 * Zoho's SDK initialised, as its users do, for a new Self Client of `user` with a grant token, against `environment`
 * (the data centre whose accounts server trades the grant and whose API domain answers). Returns the token file the SDK
 * keeps in `dir`, for a test that reads what it stored.
 */
export async function initializeSdk(
  h: Harness,
  user: User,
  environment: ZOHOCRMSDK.Environment,
  dir: string,
): Promise<{ tokenFile: string }> {
  const client = await h.client(user, 'self');
  const code = await h.selfClientCode(client.clientId, SDK_SCOPES);
  const token = new ZOHOCRMSDK.OAuthBuilder().clientId(client.clientId).clientSecret(client.clientSecret!).grantToken(code).build();
  const tokenFile = join(dir, `tokens-${client.clientId}.txt`);
  await (
    await new ZOHOCRMSDK.InitializeBuilder()
  )
    .environment(environment)
    .token(token)
    .store(new ZOHOCRMSDK.FileStore(tokenFile))
    .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().pickListValidation(false).autoRefreshFields(false).build())
    .resourcePath(dir)
    .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.OFF).build())
    .initialize();
  return { tokenFile };
}
