/**
 * The one place that decides where a browser may be sent next when the place comes from the request (`return_to`, the
 * page a signed-out user asked for). Only a path on this server passes, re-serialised as the URL parser reads it, so
 * what a browser follows is exactly what was checked. Refused, for the fallback:
 * - anything that is not a path (`https://…`, `//host`, `javascript:`, `mailto:`), even on this server's origin;
 * - control characters (browsers drop tabs and newlines, so `/\t/evil.example` becomes `//evil.example`; CR and LF
 *   would also break the Location header) and backslashes (browsers read `\` as `/`);
 * - paths that dot segments or encoded dots fold into `//host` (`/.//evil.example`, `/%2e%2e//evil.example`).
 * Never throws.
 */
export function nextLocation(value: string | undefined, origin: string, fallback: string): string {
  if (value === undefined || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  if (url.origin !== origin || !path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}

/** Long enough for any page of ours with its query (an authorization request), short of a header-size attack. */
const MAX_LENGTH = 4096;

/** C0 controls, DEL, C1 controls, backslashes, and the Unicode line and paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/;
