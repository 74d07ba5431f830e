/**
 * The DC columns of 0013_multi_dc as the domain types have them: a null column (the primary DC; every row from before
 * multi-DC) is an absent field, so such a row reads back exactly as it was written.
 */
export function dcField(dc: string | null): { dc?: string } {
  return dc === null ? {} : { dc };
}

/**
 * The RFC 8707 columns of 0020 (a token's `audience`, a code's or refresh token's `resources`) as the domain types have
 * them: null (no resource asked for; every row from before) is an absent field, so such a row reads back as written.
 */
export function resourceField<K extends 'audience' | 'resources'>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The org column of 0025 (an org-wide grant's organisation) as the domain types have it: null is an absent field. */
export function orgField(orgId: string | null): { orgId?: string } {
  return orgId === null ? {} : { orgId };
}

/** A client's multi-DC settings: the home DC when one is named, the other DCs when there are any. */
export function clientDataCenterFields(homeDc: string | null, otherDcs: string): { homeDc?: string; otherDcs?: string[] } {
  const others = JSON.parse(otherDcs) as string[];
  return { ...(homeDc === null ? {} : { homeDc }), ...(others.length === 0 ? {} : { otherDcs: others }) };
}
