/**
 * The part of Zoho Catalyst's ZEST specification that describes OAuth 2.0 (spec §13): an `<authentication-schema>`
 * holding `<oauth2>` entries, each with its four stages, each stage one operation. Plain data: the server builds it
 * (describe-server.ts), write-xml.ts and parse-xml.ts turn it into XML and back, and the client (./client) acts on it.
 */
export interface ZestSchema {
  oauth2: ZestOAuth2[];
}

export const VISIBILITIES = ['internal', 'private', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface ZestOAuth2 {
  name: string;
  visibility: Visibility;
  description?: string;
  authorizationUrl: ZestStage;
  tokenUrl: ZestStage;
  refreshUrl: ZestStage;
  /** Optional in ZEST; without it there is nothing to call to ask who the token belongs to. */
  authenticationUrl?: ZestStage;
}

/** The stages as XML names them, with the model's key for each. */
export const STAGES = [
  { element: 'authorization-url', key: 'authorizationUrl', required: true },
  { element: 'token-url', key: 'tokenUrl', required: true },
  { element: 'refresh-url', key: 'refreshUrl', required: true },
  { element: 'authentication-url', key: 'authenticationUrl', required: false },
] as const;

export interface ZestStage {
  /** An absolute URL. */
  path: string;
  operation: ZestOperation;
}

export interface ZestOperation {
  /** Lower case, as ZEST writes it. */
  method: string;
  name: string;
  category?: string;
  description?: string;
  arguments: ZestArgument[];
  responses: ZestResponse[];
  authentication?: ZestAuthentication;
}

/** ZEST's argument locations: a request parameter, an HTTP header, or a `{name}` variable in the path. */
export const ARGUMENT_LOCATIONS = ['param', 'header', 'variable'] as const;
export type ArgumentLocation = (typeof ARGUMENT_LOCATIONS)[number];

export interface ZestArgument {
  name: string;
  location: ArgumentLocation;
  required: boolean;
  /** For a list argument (scope): what separates its values. */
  delimiter?: string;
  description?: string;
  content: ZestContent;
}

export interface ZestContent {
  /** The media type of `<encode type>`. */
  encode: string;
  structure: ZestStructure;
}

export interface ZestStructure {
  name?: string;
  properties: ZestProperty[];
}

export interface ZestProperty {
  name?: string;
  type: string;
  values?: string[];
  description?: string;
}

export interface ZestResponse {
  status: string;
  content?: ZestContent;
}

/** Where an operation's caller presents the access token (`<authentication location>`). */
export const AUTHENTICATION_LOCATIONS = ['URL', 'param', 'header'] as const;
export type AuthenticationLocation = (typeof AUTHENTICATION_LOCATIONS)[number];

export interface ZestAuthentication {
  type: string;
  /** The header or parameter that carries the token, e.g. `Authorization`. */
  name: string;
  location: AuthenticationLocation;
  /** The `<oauth2 name>` that issues the token. */
  schema?: string;
  scopes: string[];
}
