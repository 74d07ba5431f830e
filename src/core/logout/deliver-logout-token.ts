/** How one delivery ended: the client answered 200 (or 204), or why not. */
export type DeliveryOutcome = { ok: true } | { ok: false; reason: string };

/**
 * POSTs a logout token to a client's back-channel logout URI (Back-Channel Logout §2.5): a form with `logout_token`,
 * no redirect followed (a 3xx is a failure: the URI was registered, its redirect target was not), a deadline, and the
 * answer's body never read beyond its status, so nothing the URI returns reaches anyone.
 */
export async function deliverLogoutToken(uri: string, logoutToken: string, timeoutMs: number): Promise<DeliveryOutcome> {
  try {
    const response = await fetch(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
      body: new URLSearchParams({ logout_token: logoutToken }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    // §2.8: 200 on success; 204 is common and harmless.
    return response.status === 200 || response.status === 204 ? { ok: true } : { ok: false, reason: `http_${response.status}` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}
