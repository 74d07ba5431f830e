import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';
import { describeEachStore } from '../support/each-store.js';
import { initializeSdk, sdkFolder } from './zoho-sdk-init.js';

const { Record: Records } = ZOHOCRMSDK;
type RecordOperations = InstanceType<typeof Records.RecordOperations>;

/** The IDs of the records in a list or search answer; none for Zoho's 204 (or 304). */
function idsOf(response: ZOHOCRMSDK.APIResponse<unknown> | null): string[] {
  assert.ok(response);
  if ([204, 304].includes(response.getStatusCode())) return [];
  const wrapper = response.getObject();
  assert.ok(wrapper instanceof Records.ResponseWrapper, `expected records, got ${JSON.stringify(wrapper)}`);
  return wrapper
    .getData()
    .map((r) => r.getId().toString())
    .sort();
}

/** The success items of a write answer: id, action, duplicate field; a failure fails the test with its code. */
function written(response: ZOHOCRMSDK.APIResponse<unknown> | null) {
  assert.ok(response);
  const wrapper = response.getObject();
  assert.ok(wrapper instanceof Records.ActionWrapper, `expected an action answer, got ${JSON.stringify(wrapper)}`);
  return wrapper.getData().map((item) => {
    assert.ok(item instanceof Records.SuccessResponse, `expected success, got ${JSON.stringify(item)}`);
    return {
      id: String(item.getDetails().get('id')),
      action: item.getAction()?.getValue(),
      duplicateField: item.getDuplicateField() ?? null,
    };
  });
}

function lead(fields: Record<string, string>) {
  const record = new Records.Record();
  for (const [name, value] of Object.entries(fields)) record.addKeyValue(name, value);
  return record;
}

function body(records: InstanceType<typeof Records.Record>[], duplicateCheckFields?: string[]) {
  const wrapper = new Records.BodyWrapper();
  wrapper.setData(records);
  if (duplicateCheckFields) wrapper.setDuplicateCheckFields(duplicateCheckFields);
  return wrapper;
}

async function search(ops: RecordOperations, param: InstanceType<typeof ZOHOCRMSDK.Param<string>>, value: string) {
  const params = new ZOHOCRMSDK.ParameterMap();
  await params.add(param, value);
  return idsOf(await ops.searchRecords(params));
}

/**
 * Zoho's official TypeScript SDK (`@zohocrm/typescript-sdk-8.0`), unchanged, against a running Gatehouse: it trades a
 * Self Client grant token for tokens at Gatehouse's token endpoint, makes its start-up calls, then reads and writes
 * Leads through its own RecordOperations: get, create, update, delete, search (criteria, email, word) and upsert.
 */
describeEachStore(
  "Zoho's official CRM SDK against Gatehouse",
  (get) => {
    const dir = sdkFolder('gatehouse-zoho-sdk-');

    test('initialise with a grant token, then get, create, update, delete, search and upsert records', async () => {
      const h = get();
      const environment = new ZOHOCRMSDK.Environment(h.baseUrl, `${h.baseUrl}/oauth/v2/token`, h.baseUrl);
      await initializeSdk(h, await h.user(), environment, dir());

      const leads = new Records.RecordOperations('Leads');
      const created = written(
        await leads.createRecords(
          body([
            lead({ Last_Name: 'Burns,B', First_Name: 'Mia', Email: 'mia@zylker.com', Company: 'Zylker (East)' }),
            lead({ Last_Name: 'Chen', Email: 'chen@zylker.com', Description: 'met at the expo' }),
          ]),
        ),
      );
      const [mia, chen] = created.map((c) => c.id);
      assert.match(mia!, /^[0-9]{19}$/);

      const one = await leads.getRecord(BigInt(mia!));
      const got = one?.getObject();
      assert.ok(got instanceof Records.ResponseWrapper);
      assert.equal(got.getData()[0]!.getKeyValue('Company'), 'Zylker (East)');

      const change = lead({ Company: 'Zylker Corp' });
      assert.equal(written(await leads.updateRecord(BigInt(mia!), body([change])))[0]!.id, mia);
      const reread = (await leads.getRecord(BigInt(mia!)))?.getObject();
      assert.ok(reread instanceof Records.ResponseWrapper);
      assert.equal(reread.getData()[0]!.getKeyValue('Company'), 'Zylker Corp');

      const list = new ZOHOCRMSDK.ParameterMap();
      await list.add(Records.GetRecordsParam.FIELDS, 'Last_Name,Email');
      assert.deepEqual(idsOf(await leads.getRecords(list)), [mia, chen].sort());

      assert.deepEqual(await search(leads, Records.SearchRecordsParam.CRITERIA, '(Last_Name:equals:Burns\\,B)'), [mia]);
      assert.deepEqual(
        await search(leads, Records.SearchRecordsParam.CRITERIA, '((Last_Name:starts_with:Ch)or(Company:equals:Zylker Corp))'),
        [mia, chen].sort(),
      );
      assert.deepEqual(await search(leads, Records.SearchRecordsParam.EMAIL, 'chen@zylker.com'), [chen]);
      assert.deepEqual(await search(leads, Records.SearchRecordsParam.WORD, 'expo'), [chen]);
      assert.deepEqual(await search(leads, Records.SearchRecordsParam.WORD, 'nothing like it'), [], '204 is no records');

      const upserted = written(
        await leads.upsertRecords(
          body([
            lead({ Last_Name: 'Chen', Email: 'chen@zylker.com', Company: 'Acme' }),
            lead({ Last_Name: 'New', Email: 'new@zylker.com' }),
          ]),
        ),
      );
      assert.deepEqual(upserted[0], { id: chen, action: 'update', duplicateField: 'Email' });
      assert.deepEqual([upserted[1]!.action, upserted[1]!.duplicateField], ['insert', null]);
      const byName = written(await leads.upsertRecords(body([lead({ Last_Name: 'New', Phone: '555-0100' })], ['Last_Name'])));
      assert.deepEqual(byName[0], { id: upserted[1]!.id, action: 'update', duplicateField: 'Last_Name' });

      assert.deepEqual(
        written(await leads.deleteRecord(BigInt(chen!))).map((d) => d.id),
        [chen],
      );
      assert.equal((await leads.getRecord(BigInt(chen!)))?.getStatusCode(), 204);
      assert.deepEqual(idsOf(await leads.getRecords(list)), [mia, upserted[1]!.id].sort());
    });
  },
  { limits: { codeRate: null } },
);
