import type { FastifyInstance, FastifyRequest } from 'fastify';
import { guard, type DpopAcceptance, type TokenVerifier } from '@gatehouse/resource-server';
import type { OrganisationRepository } from '../core/orgs/organisation-repository.js';
import type { UserRepository } from '../core/users/user-repository.js';
import { invalidModule, requiredParamMissing } from './api-error.js';
import { CRM_MODULES } from './modules.js';
import { stableNumericId } from './record-ids.js';

/**
 * What Zoho's official CRM SDKs call when they start (spec §14.3): the current user (they key stored tokens by its
 * email), the org (`id` and `zgid`), the modules and their fields. A token for an organisation (an org-wide grant, or
 * a `soid`) is answered that organisation; any other, a one-person org of its user. Mounted under /crm/v8.
 */
export function crmMetadataRoutes(
  app: FastifyInstance,
  deps: { users: UserRepository; organisations: OrganisationRepository; verify: TokenVerifier; dpop: DpopAcceptance },
): void {
  const currentUser = async (request: FastifyRequest, scope: string) => {
    const token = await guard(request, { verify: deps.verify, scopes: [scope], dpop: deps.dpop });
    const user = await deps.users.findByZuid(token.subject);
    if (!user) throw new Error('token owner missing');
    return { user, token };
  };

  app.get('/users', async (request) => {
    const { user } = await currentUser(request, 'ZohoCRM.users.READ');
    return {
      users: [
        {
          id: user.zuid,
          email: user.email,
          first_name: user.firstName,
          last_name: user.lastName,
          full_name: user.displayName,
          status: 'active',
          role: { name: 'CEO', id: stableNumericId('role:CEO') },
          profile: { name: 'Administrator', id: stableNumericId('profile:Administrator') },
          zuid: user.zuid,
        },
      ],
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    };
  });

  app.get('/org', async (request) => {
    const { user, token } = await currentUser(request, 'ZohoCRM.org.READ');
    // Tokens go with their organisation (the cascade), so one that names an org finds it.
    const organisation = token.orgId === undefined ? undefined : await deps.organisations.find(token.orgId);
    const id = organisation?.id ?? stableNumericId(`org:${user.zuid}`);
    return {
      org: [
        {
          id,
          zgid: id,
          company_name: organisation?.name ?? `${user.displayName}'s organization`,
          domain_name: `org${id}`,
          primary_email: user.email,
          country_code: 'US',
          time_zone: 'UTC',
        },
      ],
    };
  });

  app.get<{ Querystring: { module?: string } }>('/settings/fields', async (request) => {
    await guard(request, { verify: deps.verify, scopes: ['ZohoCRM.settings.fields.READ'], dpop: deps.dpop });
    if (!request.query.module) throw requiredParamMissing('module');
    const module = CRM_MODULES.find((m) => m.apiName.toLowerCase() === request.query.module!.toLowerCase());
    if (!module) throw invalidModule(request.query.module);
    return {
      fields: module.fields.map((f) => ({
        id: stableNumericId(`field:${module.apiName}.${f.apiName}`),
        api_name: f.apiName,
        field_label: f.label,
        display_label: f.label,
        data_type: f.dataType,
        json_type: f.jsonType,
        system_mandatory: f.mandatory,
        length: f.maxLength ?? null,
        pick_list_values: (f.values ?? []).map((v) => ({ display_value: v, actual_value: v })),
      })),
    };
  });

  app.get('/settings/modules', async (request) => {
    await guard(request, { verify: deps.verify, scopes: ['ZohoCRM.settings.modules.READ'], dpop: deps.dpop });
    return {
      modules: CRM_MODULES.map((m) => ({
        id: stableNumericId(`module:${m.apiName}`),
        api_name: m.apiName,
        module_name: m.apiName,
        singular_label: m.singular,
        plural_label: m.plural,
        api_supported: true,
        creatable: true,
        editable: true,
        deletable: true,
        viewable: true,
      })),
    };
  });
}
