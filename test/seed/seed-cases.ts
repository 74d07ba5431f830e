import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The repository's own example, which the README shows and these tests apply. */
export const EXAMPLE_SEED_PATH = new URL('../../../examples/gatehouse.seed.json', import.meta.url).pathname;
export const SEED_SCHEMA_PATH = new URL('../../../schemas/gatehouse.seed.schema.json', import.meta.url).pathname;

export function exampleSeed(): Record<string, any> {
  return JSON.parse(readFileSync(EXAMPLE_SEED_PATH, 'utf8'));
}

export const seedIds = {
  clientId: () => `1000.${randomBytes(15).toString('hex').toUpperCase()}`,
  clientSecret: () => randomBytes(21).toString('hex'),
  token: () => `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`,
  recordId: () => `57${String(randomInt(10 ** 8)).padStart(8, '0')}${String(randomInt(10 ** 9)).padStart(9, '0')}`,
};

/**
 * A valid seed document whose emails and IDs no other test uses, so tests can share one store: two users, a Self
 * Client, a server-based and a client-based app, a fixed refresh token, a consent and a CRM record.
 */
export function freshSeed(): Record<string, any> {
  const tag = randomBytes(4).toString('hex');
  const ann = `ann-${tag}@example.com`;
  const bob = `bob-${tag}@example.com`;
  const [self, web, js] = [seedIds.clientId(), seedIds.clientId(), seedIds.clientId()];
  return {
    users: [
      { email: ann, first_name: 'Ann', last_name: 'Lee', password: 'correct horse battery' },
      { email: bob, first_name: 'Bob', last_name: 'Ray', password: 'another fine password', admin: true },
    ],
    clients: [
      { client_id: self, client_secret: seedIds.clientSecret(), type: 'self', owner: ann },
      {
        client_id: web,
        client_secret: seedIds.clientSecret(),
        type: 'server',
        owner: ann,
        name: 'Web App',
        homepage: 'https://web.example.com',
        redirect_uris: ['https://web.example.com/callback'],
      },
      {
        client_id: js,
        type: 'client',
        owner: bob,
        name: 'Browser App',
        homepage: 'https://spa.example.com',
        redirect_uris: ['https://spa.example.com/callback'],
        js_domains: ['https://spa.example.com'],
      },
    ],
    refresh_tokens: [{ client_id: self, scope: 'ZohoCRM.modules.ALL', token: seedIds.token() }],
    consents: [{ user: bob, client_id: web, scope: 'ZohoCRM.modules.leads.READ' }],
    records: [{ module: 'crm.Leads', id: seedIds.recordId(), owner: ann, fields: { Last_Name: 'Tanaka', Company: 'Tanaka Design' } }],
  };
}

export interface InvalidCase {
  name: string;
  change(seed: Record<string, any>): void;
  path: string;
  message: RegExp;
  /**
   * Whether the JSON Schema rejects it too (a wrong shape); otherwise only Gatehouse can tell (references, redirect
   * URIs, scopes, a record's fields against its module, the database's state).
   */
  shape: boolean;
}

/** One case per kind of problem: the JSON path and message Gatehouse must report, and nothing written. */
export const INVALID_CASES: readonly InvalidCase[] = [
  {
    name: 'a signing algorithm Gatehouse does not sign with',
    change: (s) => void (s.clients[1].id_token_signed_response_alg = 'HS256'),
    path: '$.clients[1].id_token_signed_response_alg',
    message: /must be one of RS256, ES256, EdDSA/,
    shape: true,
  },
  { name: 'a kind that is not a list', change: (s) => void (s.users = 'ann'), path: '$.users', message: /must be an array/, shape: true },
  { name: 'unknown top-level field', change: (s) => void (s.apps = []), path: '$.apps', message: /not a known field/, shape: true },
  {
    name: 'missing required field',
    change: (s) => delete s.users[0].first_name,
    path: '$.users[0].first_name',
    message: /is required/,
    shape: true,
  },
  {
    name: 'unknown field of an entry',
    change: (s) => void (s.clients[1].colour = 'red'),
    path: '$.clients[1].colour',
    message: /not a known field/,
    shape: true,
  },
  {
    name: 'password too short',
    change: (s) => void (s.users[0].password = 'short'),
    path: '$.users[0].password',
    message: /at least 8/,
    shape: true,
  },
  {
    name: 'both password and password_hash',
    change: (s) => void (s.users[0].password_hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'),
    path: '$.users[0]',
    message: /exactly one of password and password_hash/,
    shape: true,
  },
  {
    name: 'password_hash not argon2id',
    change: (s) => {
      delete s.users[0].password;
      s.users[0].password_hash = '$2b$10$abcdefghijklmnopqrstuv';
    },
    path: '$.users[0].password_hash',
    message: /argon2id/,
    shape: true,
  },
  {
    name: 'admin not a boolean',
    change: (s) => void (s.users[1].admin = 'yes'),
    path: '$.users[1].admin',
    message: /true or false/,
    shape: true,
  },
  {
    name: 'client_id of the wrong shape',
    change: (s) => void (s.clients[1].client_id = '1000.lowercase0000000000000000000000'),
    path: '$.clients[1].client_id',
    message: /30 upper-case/,
    shape: true,
  },
  {
    name: 'client_secret of the wrong shape',
    change: (s) => void (s.clients[1].client_secret = 'ABC'),
    path: '$.clients[1].client_secret',
    message: /42 lower-case hex/,
    shape: true,
  },
  {
    name: 'unknown client type',
    change: (s) => void (s.clients[1].type = 'desktop'),
    path: '$.clients[1].type',
    message: /one of server, client, mobile, device, self/,
    shape: true,
  },
  {
    name: 'a secret-holding client without its secret',
    change: (s) => delete s.clients[1].client_secret,
    path: '$.clients[1].client_secret',
    message: /is required for a server client/,
    shape: true,
  },
  {
    name: 'a client-based app with a secret',
    change: (s) => void (s.clients[2].client_secret = seedIds.clientSecret()),
    path: '$.clients[2].client_secret',
    message: /has no secret/,
    shape: true,
  },
  {
    name: 'refresh token of the wrong shape',
    change: (s) => void (s.refresh_tokens[0].token = '1000.abc.def'),
    path: '$.refresh_tokens[0].token',
    message: /32 lower-case hex/,
    shape: true,
  },
  {
    name: 'record ID of the wrong shape',
    change: (s) => void (s.records[0].id = '0123'),
    path: '$.records[0].id',
    message: /19-digit/,
    shape: true,
  },
  {
    name: 'unknown record module',
    change: (s) => void (s.records[0].module = 'crm.Tickets'),
    path: '$.records[0].module',
    message: /must be one of crm\.Leads/,
    shape: true,
  },
  {
    name: 'redirect URI with a fragment',
    change: (s) => void (s.clients[1].redirect_uris = ['https://web.example.com/ok', 'https://web.example.com/cb#x']),
    path: '$.clients[1].redirect_uris[1]',
    message: /fragment/,
    shape: false,
  },
  {
    name: 'redirect URI with a dangerous scheme',
    change: (s) => void (s.clients[1].redirect_uris = ['javascript:alert(1)']),
    path: '$.clients[1].redirect_uris[0]',
    message: /javascript: scheme/,
    shape: false,
  },
  {
    name: 'server-based app without redirect URIs',
    change: (s) => void (s.clients[1].redirect_uris = []),
    path: '$.clients[1].redirect_uris',
    message: /at least one redirect URI/,
    shape: false,
  },
  {
    name: 'JavaScript domain that is not an origin',
    change: (s) => void (s.clients[2].js_domains = ['https://spa.example.com/path']),
    path: '$.clients[2].js_domains[0]',
    message: /must be an origin/,
    shape: false,
  },
  {
    name: 'client name with characters the console refuses',
    change: (s) => void (s.clients[1].name = 'Web <App>'),
    path: '$.clients[1].name',
    message: /valid client name/,
    shape: false,
  },
  {
    name: 'a Self Client with a name',
    change: (s) => void (s.clients[0].name = 'Mine'),
    path: '$.clients[0].name',
    message: /Self Client has no name/,
    shape: false,
  },
  {
    name: 'invalid email',
    change: (s) => void (s.users[1].email = 'not-an-email'),
    path: '$.users[1].email',
    message: /valid email/,
    shape: false,
  },
  {
    name: 'the same email twice',
    change: (s) => s.users.push({ ...s.users[0], first_name: 'Other' }),
    path: '$.users[2].email',
    message: /repeats \$\.users\[0\]\.email/,
    shape: false,
  },
  {
    name: 'the same client_id twice',
    change: (s) => s.clients.push({ ...s.clients[1] }),
    path: '$.clients[3].client_id',
    message: /repeats \$\.clients\[1\]\.client_id/,
    shape: false,
  },
  {
    name: 'owner neither in the file nor in the database',
    change: (s) => void (s.clients[1].owner = 'nobody@example.com'),
    path: '$.clients[1].owner',
    message: /no user has this email, in the file or in the database/,
    shape: false,
  },
  {
    name: 'a second Self Client for one user',
    change: (s) =>
      s.clients.push({ client_id: seedIds.clientId(), client_secret: seedIds.clientSecret(), type: 'self', owner: s.users[0].email }),
    path: '$.clients[3].owner',
    message: /already owns the Self Client at \$\.clients\[0\]/,
    shape: false,
  },
  {
    name: "a Self Client's token for another user",
    change: (s) => void (s.refresh_tokens[0].user = s.users[1].email),
    path: '$.refresh_tokens[0].user',
    message: /owner only/,
    shape: false,
  },
  {
    name: 'refresh token for an unknown client',
    change: (s) => void (s.refresh_tokens[0].client_id = seedIds.clientId()),
    path: '$.refresh_tokens[0].client_id',
    message: /no client has this client_id/,
    shape: false,
  },
  {
    name: 'unknown scope',
    change: (s) => void (s.refresh_tokens[0].scope = 'ZohoCRM.modules.ALL,ZohoCRM.nothing.READ'),
    path: '$.refresh_tokens[0].scope',
    message: /Unknown scope: ZohoCRM\.nothing\.READ/,
    shape: false,
  },
  {
    name: 'consent for a user neither in the file nor in the database',
    change: (s) => void (s.consents[0].user = 'ghost@example.com'),
    path: '$.consents[0].user',
    message: /no user has this email/,
    shape: false,
  },
  {
    name: 'consent to a Self Client',
    change: (s) => void (s.consents[0].client_id = s.clients[0].client_id),
    path: '$.consents[0].client_id',
    message: /never asks for consent/,
    shape: false,
  },
  {
    name: 'record missing a mandatory field',
    change: (s) => void (s.records[0].fields = { Company: 'No Name Ltd' }),
    path: '$.records[0].fields.Last_Name',
    message: /required field not found/,
    shape: false,
  },
  {
    name: 'record field not in its module',
    change: (s) => void (s.records[0].fields.Colour = 'red'),
    path: '$.records[0].fields.Colour',
    message: /not in Leads/,
    shape: false,
  },
  {
    name: 'record picklist value not allowed',
    change: (s) => void (s.records[0].fields.Lead_Status = 'Maybe'),
    path: '$.records[0].fields.Lead_Status',
    message: /must be one of/,
    shape: false,
  },
];

/** A fresh seed with one case's change made. */
export function seedWith(change: (seed: Record<string, any>) => void): Record<string, any> {
  const seed = freshSeed();
  change(seed);
  return seed;
}
