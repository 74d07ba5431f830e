import type { ResponseField } from '../params/definitions.js';
import type { User } from './user.js';

/** The scope `GET /oauth/user/info` requires (spec §7.4). */
export const USER_INFO_SCOPE = 'AaaServer.profile.READ';

/** The legacy profile document of `GET /oauth/user/info` (spec §10): ZUID numeric, the rest as Zoho spells them. */
export interface ZohoUserInfo {
  First_Name: string;
  Last_Name: string;
  Display_Name: string;
  ZUID: number;
  Email: string;
}

/** The fields as the ZEST export documents them; the compiler keeps this table and the interface in step. */
export const ZOHO_USER_INFO_FIELDS = {
  First_Name: { type: 'string', description: "The user's first name." },
  Last_Name: { type: 'string', description: "The user's last name." },
  Display_Name: { type: 'string', description: 'The name shown for the user.' },
  ZUID: { type: 'long', description: "The user's ID (ZUID)." },
  Email: { type: 'string', description: "The user's email address." },
} as const satisfies Record<keyof ZohoUserInfo, ResponseField>;

export function zohoUserInfo(user: User): ZohoUserInfo {
  return {
    First_Name: user.firstName,
    Last_Name: user.lastName,
    Display_Name: user.displayName,
    ZUID: Number(user.zuid),
    Email: user.email,
  };
}
