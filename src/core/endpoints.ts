/**
 * Paths of the endpoints that other parts describe as well as serve: the routes mount them, and the discovery
 * metadata and the ZEST export point at them.
 */
export const ENDPOINT_PATHS = {
  authorize: '/oauth/v2/auth',
  token: '/oauth/v2/token',
  userInfo: '/oauth/user/info',
  zestSchema: '/.well-known/zest/authentication-schema.xml',
} as const;
