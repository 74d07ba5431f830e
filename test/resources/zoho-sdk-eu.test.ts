import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';
import { startTwoDcs, userIn } from '../support/data-centers.js';
import { describeEach } from '../support/each-store.js';
import { STORE_KINDS } from '../support/stores.js';
import { initializeSdk, sdkFolder } from './zoho-sdk-init.js';

const { Record: Records } = ZOHOCRMSDK;

/**
 * The SDK's EU environment, pointed at Gatehouse's eu DC. `EUDataCenter.PRODUCTION()` hard-codes Zoho's hosts
 * (`https://www.zohoapis.eu`, `https://accounts.zoho.eu/oauth/v2/token`); a subclass overriding it, and the accounts URL
 * it reports, is the SDK's own way to name other hosts: `DataCenter.setEnvironment(apiUrl, tokenUrl, uploadUrl)`.
 */
function gatehouseEu(eu: string) {
  return class GatehouseEUDataCenter extends ZOHOCRMSDK.EUDataCenter {
    static override PRODUCTION() {
      return ZOHOCRMSDK.DataCenter.setEnvironment(eu, `${eu}/oauth/v2/token`, eu);
    }
    override getIAMUrl() {
      return `${eu}/oauth/v2/token`;
    }
  };
}

/**
 * Zoho's official TypeScript SDK, unchanged, used by a user homed in a non-US DC (spec §9): Gatehouse runs `us` and
 * `eu`; the user's Self Client lives in eu, and the SDK's EU environment trades its grant token at eu's accounts server,
 * then reads and writes Leads at eu's API domain. The tokens belong to eu: the us DC refuses them.
 */
describeEach(
  "Zoho's official CRM SDK in the EU data centre",
  STORE_KINDS,
  startTwoDcs,
  ({ h }) => h.close(),
  (get) => {
    const dir = sdkFolder('gatehouse-zoho-sdk-eu-');

    test("an eu user's Self Client through the SDK's EU environment: tokens from eu, records at eu, refused at us", async () => {
      const { h, us, eu } = get();
      const environment = gatehouseEu(eu).PRODUCTION();
      assert.equal(environment.getAccountsUrl(), `${eu}/oauth/v2/token`);
      const { tokenFile } = await initializeSdk(h, await userIn(h, 'eu'), environment, dir());

      const leads = new Records.RecordOperations('Leads');
      const record = new Records.Record();
      record.addKeyValue('Last_Name', 'Schmidt');
      record.addKeyValue('Company', 'Zylker GmbH');
      const wrapper = new Records.BodyWrapper();
      wrapper.setData([record]);
      const created = (await leads.createRecords(wrapper))?.getObject();
      assert.ok(created instanceof Records.ActionWrapper, `expected an action answer, got ${JSON.stringify(created)}`);
      const [item] = created.getData();
      assert.ok(item instanceof Records.SuccessResponse, `expected success, got ${JSON.stringify(item)}`);
      const id = String(item.getDetails().get('id'));

      const list = new ZOHOCRMSDK.ParameterMap();
      await list.add(Records.GetRecordsParam.FIELDS, 'Last_Name,Company');
      const listed = (await leads.getRecords(list))?.getObject();
      assert.ok(listed instanceof Records.ResponseWrapper);
      assert.deepEqual(
        listed.getData().map((r) => [r.getId().toString(), r.getKeyValue('Company')]),
        [[id, 'Zylker GmbH']],
      );

      // The SDK's stored token: issued at eu, answered at eu's API domain only.
      const [stored] = (await new ZOHOCRMSDK.FileStore(tokenFile).getTokens()) ?? [];
      assert.ok(stored instanceof ZOHOCRMSDK.OAuthToken);
      const accessToken = stored.getAccessToken();
      assert.equal(stored.getAPIDomain(), eu);
      const read = (origin: string) =>
        fetch(`${origin}/crm/v8/Leads?fields=Last_Name`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
      assert.equal((await read(eu)).status, 200);
      assert.equal((await read(us)).status, 401, "the us DC does not answer an eu user's token");
    });
  },
);
