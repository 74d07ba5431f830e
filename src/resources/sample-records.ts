import type { RecordRepository } from './record-repository.js';
import { CRM_MODULES, FSM_MODULES, recordModuleKey } from './modules.js';
import { RecordIdSequence } from './record-ids.js';
import { validateRecord } from './validate-record.js';

/** A few records per sample module, to explore the APIs with (`gatehouse demo`). */
const SAMPLE_DATA: Record<string, ReadonlyArray<Record<string, unknown>>> = {
  'crm.Leads': [
    {
      First_Name: 'Maria',
      Last_Name: 'Lopez',
      Company: 'Lopez Bakery',
      Email: 'maria@lopez-bakery.example',
      Lead_Status: 'Contacted',
      Lead_Source: 'Web Download',
    },
    {
      First_Name: 'Tom',
      Last_Name: 'Becker',
      Company: 'Becker Tools',
      Phone: '+49 30 1234567',
      Lead_Status: 'Not Contacted',
      Lead_Source: 'Trade Show',
    },
    {
      First_Name: 'Aiko',
      Last_Name: 'Tanaka',
      Company: 'Tanaka Design',
      Lead_Status: 'Qualified',
      Lead_Source: 'Partner',
      Description: 'Wants a demo in May.',
    },
  ],
  'crm.Contacts': [
    { First_Name: 'Priya', Last_Name: 'Nair', Title: 'Office Manager', Email: 'priya@northwind.example', Phone: '+1 555 0101' },
    { First_Name: 'Lars', Last_Name: 'Holm', Title: 'CTO', Email: 'lars@holm-it.example' },
    { First_Name: 'Grace', Last_Name: 'Okafor', Title: 'Buyer', Description: 'Prefers email.' },
  ],
  'crm.Deals': [
    { Deal_Name: 'Northwind renewal', Stage: 'Negotiation', Amount: 12000, Closing_Date: '2027-03-31' },
    { Deal_Name: 'Holm IT onboarding', Stage: 'Proposal', Amount: 4500.5, Closing_Date: '2027-02-15' },
    { Deal_Name: 'Lopez Bakery POS', Stage: 'Qualification', Amount: 1800 },
  ],
  'fsm.Requests': [
    {
      Summary: 'Boiler makes a knocking noise',
      Service_Address: '12 Elm Street',
      Billing_Address: '12 Elm Street',
      Priority: 'High',
      Due_Date: '2027-01-20',
    },
    { Summary: 'Annual AC check', Service_Address: '4 Harbour Road', Billing_Address: 'PO Box 88', Priority: 'Low' },
    { Summary: 'Install two smoke detectors', Service_Address: '9 Mill Lane', Billing_Address: '9 Mill Lane', Priority: 'Medium' },
  ],
  'fsm.Estimates': [
    {
      Summary: 'Boiler replacement',
      Service_Address: '12 Elm Street',
      Grand_Total: 3200,
      Expiry_Date: '2027-02-28',
      Service_Line_Items: 'Boiler\nInstallation\nDisposal of the old unit',
    },
    { Summary: 'Smoke detectors, two rooms', Service_Address: '9 Mill Lane', Grand_Total: 180 },
    { Summary: 'AC service plan', Grand_Total: 240, Description: 'One visit a year.' },
  ],
  'fsm.Work_Orders': [
    { Summary: 'Repair boiler pump', Type: 'Repair', Priority: 'High', Due_Date: '2027-01-22' },
    { Summary: 'Install smoke detectors', Type: 'Installation', Priority: 'Medium', Service_Line_Items: 'Two detectors\nTesting' },
    { Summary: 'AC maintenance visit', Type: 'Maintenance', Priority: 'Low' },
  ],
};

/**
 * Gives the user the sample records of every module in which they have none yet (by module key: how many were made,
 * 0 where the user had records already), so running it twice adds nothing. Each record passes the same validation as
 * one created through the API.
 */
export async function loadSampleRecords(
  deps: { records: RecordRepository; now: () => number },
  ownerZuid: string,
): Promise<Record<string, number>> {
  const ids = new RecordIdSequence();
  const created: Record<string, number> = {};
  for (const module of [...CRM_MODULES, ...FSM_MODULES]) {
    const key = recordModuleKey(module);
    const existing = await deps.records.list(ownerZuid, key, { sortBy: 'id', sortOrder: 'asc', offset: 0, limit: 1 });
    const samples = existing.records.length > 0 ? [] : (SAMPLE_DATA[key] ?? []);
    for (const [index, sample] of samples.entries()) {
      const checked = validateRecord(sample, module, 'create', index);
      if (!checked.ok) throw new Error(`sample ${key} record ${index} is invalid: ${checked.failure.message}`);
      const now = deps.now();
      await deps.records.create({ id: ids.next(now), module: key, ownerZuid, data: checked.data, createdAt: now, modifiedAt: now });
    }
    created[key] = samples.length;
  }
  return created;
}
