/**
 * Paths of the endpoints that other parts describe as well as serve: the routes mount them, and the discovery
 * metadata and the ZEST export point at them.
 */
export const ENDPOINT_PATHS = {
  authorize: '/oauth/v2/auth',
  /** Org-level ("instance-level") authorization (spec §0): an administrator grants access to a whole organisation. */
  orgAuthorize: '/oauth/v2/org/auth',
  /** The implicit flow's silent refresh (spec §2.4), and the spelling the newer Zoho page uses (UNCONFIRMED: both served). */
  silentRefresh: '/oauth/v2/auth/refresh',
  silentRefreshAlias: '/oauth/v2/refresh',
  token: '/oauth/v2/token',
  /** RFC 9126: the pushed authorization request endpoint, beside Zoho's other /oauth/v2 paths. */
  pushedAuthorizationRequest: '/oauth/v2/par',
  userInfo: '/oauth/user/info',
  /** OpenID Connect RP-Initiated Logout's end_session_endpoint, beside Zoho's other /oauth/v2 paths; and its confirmation. */
  endSession: '/oauth/v2/logout',
  endSessionConfirm: '/oauth/v2/logout/confirm',
  /** Incremental authorization (spec §8): the enhancement token, then the browser's consent to the extra scopes. */
  scopeEnhanceToken: '/oauth/v2/token/scopeenhance',
  addExtraScope: '/oauth/v2/token/addextrascope',
  /** Device flow (spec §3.5): Zoho's initiation and poll, RFC 8628's initiation, and the page where the user answers. */
  zohoDeviceCode: '/oauth/v3/device/code',
  zohoDeviceToken: '/oauth/v3/device/token',
  deviceAuthorization: '/oauth/device_authorization',
  deviceVerification: '/oauth/v3/device',
  /** Dynamic client registration (RFC 7591), and each client's RFC 7592 management URI beneath it. */
  register: '/oauth/v2/register',
  zestSchema: '/.well-known/zest/authentication-schema.xml',
} as const;
