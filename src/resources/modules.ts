/**
 * The sample APIs' modules and their fields, as Zoho CRM v8 and FSM v1 name them (spec §14). One definition drives
 * validation, the responses and CRM's field metadata (`/settings/fields`), so they cannot disagree.
 */
export type JsonType = 'string' | 'double' | 'integer' | 'boolean';

export interface FieldDefinition {
  apiName: string;
  label: string;
  /** Zoho's `data_type`: text, email, phone, currency, date, picklist, textarea, integer, boolean. */
  dataType: 'text' | 'email' | 'phone' | 'currency' | 'date' | 'picklist' | 'textarea' | 'integer' | 'boolean';
  jsonType: JsonType;
  mandatory: boolean;
  maxLength?: number;
  /** Allowed values of a picklist. */
  values?: readonly string[];
}

export interface ModuleDefinition {
  product: 'crm' | 'fsm';
  /** The path segment: `Leads`, `Work_Orders`. */
  apiName: string;
  /** The scope segment: CRM `leads`, FSM `WorkOrders` (spec §7.3: no underscore). */
  scopeName: string;
  singular: string;
  plural: string;
  fields: readonly FieldDefinition[];
  /**
   * The fields an upsert finds an existing record by when the request names none: Zoho's system-defined duplicate
   * check fields (Email for Leads and Contacts). Empty: an upsert must name its `duplicate_check_fields`.
   */
  duplicateCheckFields: readonly string[];
}

/** Where a module's records are kept: `crm.Leads`, `fsm.Work_Orders`. */
export function recordModuleKey(module: ModuleDefinition): string {
  return `${module.product}.${module.apiName}`;
}

const text = (apiName: string, label: string, mandatory = false, maxLength = 255): FieldDefinition => ({
  apiName,
  label,
  dataType: 'text',
  jsonType: 'string',
  mandatory,
  maxLength,
});
const email = (apiName = 'Email', label = 'Email'): FieldDefinition => ({
  apiName,
  label,
  dataType: 'email',
  jsonType: 'string',
  mandatory: false,
  maxLength: 100,
});
const phone = (apiName = 'Phone', label = 'Phone'): FieldDefinition => ({
  apiName,
  label,
  dataType: 'phone',
  jsonType: 'string',
  mandatory: false,
  maxLength: 30,
});
const money = (apiName: string, label: string): FieldDefinition => ({
  apiName,
  label,
  dataType: 'currency',
  jsonType: 'double',
  mandatory: false,
});
const date = (apiName: string, label: string): FieldDefinition => ({
  apiName,
  label,
  dataType: 'date',
  jsonType: 'string',
  mandatory: false,
});
const picklist = (apiName: string, label: string, values: readonly string[], mandatory = false): FieldDefinition => ({
  apiName,
  label,
  dataType: 'picklist',
  jsonType: 'string',
  mandatory,
  values,
});
const notes = (apiName = 'Description', label = 'Description'): FieldDefinition => ({
  apiName,
  label,
  dataType: 'textarea',
  jsonType: 'string',
  mandatory: false,
  maxLength: 32_000,
});

export const CRM_MODULES: readonly ModuleDefinition[] = [
  {
    product: 'crm',
    apiName: 'Leads',
    scopeName: 'leads',
    singular: 'Lead',
    plural: 'Leads',
    duplicateCheckFields: ['Email'],
    fields: [
      text('Last_Name', 'Last Name', true, 80),
      text('First_Name', 'First Name', false, 40),
      email(),
      phone(),
      text('Company', 'Company', false, 200),
      picklist('Lead_Status', 'Lead Status', ['Not Contacted', 'Attempted to Contact', 'Contacted', 'Qualified', 'Lost Lead']),
      picklist('Lead_Source', 'Lead Source', ['Advertisement', 'Cold Call', 'Partner', 'Web Download', 'Trade Show']),
      notes(),
    ],
  },
  {
    product: 'crm',
    apiName: 'Contacts',
    scopeName: 'contacts',
    singular: 'Contact',
    plural: 'Contacts',
    duplicateCheckFields: ['Email'],
    fields: [
      text('Last_Name', 'Last Name', true, 80),
      text('First_Name', 'First Name', false, 40),
      email(),
      phone(),
      text('Title', 'Title', false, 100),
      notes(),
    ],
  },
  {
    product: 'crm',
    apiName: 'Deals',
    scopeName: 'deals',
    singular: 'Deal',
    plural: 'Deals',
    duplicateCheckFields: ['Deal_Name'],
    fields: [
      text('Deal_Name', 'Deal Name', true, 120),
      picklist('Stage', 'Stage', ['Qualification', 'Needs Analysis', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'], true),
      money('Amount', 'Amount'),
      date('Closing_Date', 'Closing Date'),
      notes(),
    ],
  },
];

const priority = picklist('Priority', 'Priority', ['Low', 'Medium', 'High']);
const lineItems: FieldDefinition = {
  apiName: 'Service_Line_Items',
  label: 'Services',
  dataType: 'textarea',
  jsonType: 'string',
  mandatory: false,
  maxLength: 32_000,
};

export const FSM_MODULES: readonly ModuleDefinition[] = [
  {
    product: 'fsm',
    apiName: 'Requests',
    scopeName: 'Requests',
    singular: 'Request',
    duplicateCheckFields: [],
    plural: 'Requests',
    fields: [
      text('Summary', 'Summary', true),
      text('Service_Address', 'Service Address', true),
      text('Billing_Address', 'Billing Address', true),
      priority,
      date('Due_Date', 'Due Date'),
      notes(),
    ],
  },
  {
    product: 'fsm',
    apiName: 'Estimates',
    scopeName: 'Estimates',
    singular: 'Estimate',
    duplicateCheckFields: [],
    plural: 'Estimates',
    fields: [
      text('Summary', 'Summary', true),
      text('Service_Address', 'Service Address'),
      money('Grand_Total', 'Grand Total'),
      date('Expiry_Date', 'Expiry Date'),
      lineItems,
      notes(),
    ],
  },
  {
    product: 'fsm',
    apiName: 'Work_Orders',
    scopeName: 'WorkOrders',
    singular: 'Work Order',
    duplicateCheckFields: [],
    plural: 'Work Orders',
    fields: [
      text('Summary', 'Summary', true),
      picklist('Type', 'Type', ['Service', 'Installation', 'Maintenance', 'Repair']),
      priority,
      date('Due_Date', 'Due Date'),
      lineItems,
      notes(),
    ],
  },
];
