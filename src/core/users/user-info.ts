import type { User } from './user.js';

/** The legacy profile document of `GET /oauth/user/info` (spec §10): ZUID numeric, the rest as Zoho spells them. */
export interface ZohoUserInfo {
  First_Name: string;
  Last_Name: string;
  Display_Name: string;
  ZUID: number;
  Email: string;
}

export function zohoUserInfo(user: User): ZohoUserInfo {
  return {
    First_Name: user.firstName,
    Last_Name: user.lastName,
    Display_Name: user.displayName,
    ZUID: Number(user.zuid),
    Email: user.email,
  };
}
