import { isIPv4, isIPv6 } from 'node:net';

/**
 * What a per-address limit counts by: an IPv4 address, or the /64 an IPv6 address belongs to. One home line, phone or
 * cloud host is handed a whole /64 and may send from any of its 2^64 addresses, so counting single IPv6 addresses
 * would give one attacker an endless supply of fresh limits. IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, how a
 * dual-stack socket reports IPv4 clients) count as the IPv4 address. Anything else is counted as it is.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) return address;
  return `${groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros (an embedded IPv4 tail is two groups). */
function groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const parts = (text: string) =>
    text === ''
      ? []
      : text.split(':').flatMap((part) => {
          if (!part.includes('.')) return [part];
          const [a, b, c, d] = part.split('.').map(Number);
          return [((a! << 8) | b!).toString(16), ((c! << 8) | d!).toString(16)];
        });
  const front = parts(head);
  const back = tail === undefined ? [] : parts(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - front.length - back.length).fill('0');
  return [...front, ...zeros, ...back].map((group) => (parseInt(group, 16) || 0).toString(16));
}
