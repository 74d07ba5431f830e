import { authorizationParameters } from '../core/authorize/authorization-parameters.js';
import type { GatehouseConfig } from '../core/config/config.js';
import { ENDPOINT_PATHS } from '../core/endpoints.js';
import type { GrantHandler } from '../core/grants/grant-handler.js';
import type { GrantRegistry } from '../core/grants/index.js';
import type { ParameterDefinition, ResponseField } from '../core/params/definitions.js';
import type { ScopeRegistry } from '../core/scopes/registry.js';
import { tokenRequestParameters } from '../core/token-endpoint.js';
import { TOKEN_RESPONSE_FIELDS } from '../core/tokens/token-response.js';
import { USER_INFO_SCOPE, ZOHO_USER_INFO_FIELDS } from '../core/users/user-info.js';
import type { ZestArgument, ZestContent, ZestSchema, ZestStage } from './model.js';

/** The `<oauth2 name>` of this server's description; operations of a resource refer to it. */
export const GATEHOUSE_OAUTH2_NAME = 'gatehouse';

export interface ServerDefinitions {
  config: Pick<GatehouseConfig, 'issuer'>;
  scopes: ScopeRegistry;
  grants: GrantRegistry;
}

/**
 * This server in ZEST terms, built from the definitions its request checks use (the authorization parameters, each
 * grant's parameters, the registered grants and scopes, the response field tables), so the description cannot say
 * something the server does not do.
 */
export function describeServer({ config, scopes, grants }: ServerDefinitions): ZestSchema {
  const url = (path: string) => config.issuer + path;
  const grant = (grantType: string): GrantHandler => {
    const handler = grants.get(grantType);
    if (!handler) throw new Error(`The ZEST description needs the ${grantType} grant, which this server does not register.`);
    return handler;
  };
  const tokenStage = (handler: GrantHandler, name: string, description: string): ZestStage => ({
    path: url(ENDPOINT_PATHS.token),
    operation: {
      method: 'post',
      name,
      category: 'action',
      description,
      arguments: tokenRequestParameters(handler).map(argument),
      responses: [
        {
          status: '200',
          content: json(
            'token structure',
            handler.returns.map((field) => [field, TOKEN_RESPONSE_FIELDS[field]]),
          ),
        },
      ],
    },
  });

  return {
    oauth2: [
      {
        name: GATEHOUSE_OAUTH2_NAME,
        visibility: 'public',
        description: `Gatehouse at ${config.issuer}: OAuth 2.0 in the dialect of Zoho Accounts.`,
        authorizationUrl: {
          path: url(ENDPOINT_PATHS.authorize),
          operation: {
            method: 'get',
            name: 'Authorization Request',
            category: 'action',
            description:
              'The user signs in and consents; the browser comes back to redirect_uri with code, state, location, accounts-server and iss.',
            arguments: authorizationParameters(scopes).map(argument),
            responses: [{ status: '303' }],
          },
        },
        tokenUrl: tokenStage(
          grant('authorization_code'),
          'Generate Access Token and Refresh Token',
          'Exchanges the code for an access token, and a refresh token with access_type=offline.',
        ),
        refreshUrl: tokenStage(
          grant('refresh_token'),
          'Refresh Access Token',
          'A new access token from the refresh token, which stays the same (refresh tokens are not rotated).',
        ),
        authenticationUrl: {
          path: url(ENDPOINT_PATHS.userInfo),
          operation: {
            method: 'get',
            name: 'Check Access Token',
            category: 'action',
            description: 'The user the access token belongs to.',
            arguments: [],
            responses: [{ status: '200', content: json('user info', Object.entries(ZOHO_USER_INFO_FIELDS)) }],
            authentication: {
              type: 'oauth2',
              name: 'Authorization',
              location: 'header',
              schema: GATEHOUSE_OAUTH2_NAME,
              scopes: [USER_INFO_SCOPE],
            },
          },
        },
      },
    ],
  };
}

/** A request parameter: ZEST wraps its one value in a structure of one unnamed property (as Zoho's example does). */
function argument(definition: ParameterDefinition): ZestArgument {
  return {
    name: definition.name,
    location: 'param',
    required: definition.required,
    ...(definition.delimiter === undefined ? {} : { delimiter: definition.delimiter }),
    description: definition.description,
    content: {
      encode: 'text/plain',
      structure: { name: 'wrapper', properties: [{ type: 'string', ...values(definition.values) }] },
    },
  };
}

function json(name: string, fields: ReadonlyArray<readonly [string, ResponseField]>): ZestContent {
  return {
    encode: 'application/json',
    structure: {
      name,
      properties: fields.map(([field, { type, description, values: allowed }]) => ({
        name: field,
        type,
        ...values(allowed),
        description,
      })),
    },
  };
}

function values(allowed: readonly string[] | undefined): { values?: string[] } {
  return allowed === undefined ? {} : { values: [...allowed] };
}
